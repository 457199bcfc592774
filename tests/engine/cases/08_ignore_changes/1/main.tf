resource "test_resource" "a" {
  name = "first"
  tags = { owner = "me" }

  lifecycle {
    ignore_changes = [tags]
  }
}
