resource "test_resource" "legacy" {
  name       = "legacy-renamed"
  tags       = { owner = "dev" }
  replace_me = "v2"

  lifecycle {
    ignore_changes = all
  }
}
