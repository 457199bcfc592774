variable "region" {
  type = string
}

resource "test_resource" "a" {
  name = var.region
}
