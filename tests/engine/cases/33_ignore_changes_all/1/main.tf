resource "test_resource" "legacy" {
  name       = "legacy"
  tags       = { owner = "ops" }
  replace_me = "v1"

  lifecycle {
    ignore_changes = all
  }
}
