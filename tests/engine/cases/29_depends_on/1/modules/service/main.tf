variable "name" {
  type = string
}

resource "test_resource" "deployment" {
  name = var.name
}
