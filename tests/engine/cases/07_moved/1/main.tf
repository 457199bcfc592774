resource "test_resource" "old" {
  name = "keep-me"
}
