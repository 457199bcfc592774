resource "test_resource" "web" {
  name = "web"
}
