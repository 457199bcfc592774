resource "test_resource" "a" {
  name = var.missing
}
