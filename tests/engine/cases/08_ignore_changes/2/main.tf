resource "test_resource" "a" {
  name = "first"
  tags = { owner = "someone else" }

  lifecycle {
    ignore_changes = [tags]
  }
}
