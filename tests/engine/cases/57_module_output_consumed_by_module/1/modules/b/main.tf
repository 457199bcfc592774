variable "vpc_id" {
  type = string
}

resource "test_resource" "service" {
  name = "api"
  tags = { vpc = var.vpc_id }
}
