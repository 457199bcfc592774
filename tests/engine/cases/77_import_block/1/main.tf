resource "test_resource" "app" {
  name = "app"
}
