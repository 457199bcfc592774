# copied from main.tf by mistake
resource "test_resource" "web" {
  name = "web-2"
}
