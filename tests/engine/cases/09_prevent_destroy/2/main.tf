resource "test_resource" "db" {
  name       = "db"
  replace_me = "v2"

  lifecycle {
    prevent_destroy = true
  }
}
