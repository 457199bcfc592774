resource "test_resource" "db" {
  name       = "db"
  replace_me = "v1"

  lifecycle {
    prevent_destroy = true
  }
}
