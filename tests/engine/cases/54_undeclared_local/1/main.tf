locals {
  environment = "prod"
}

resource "test_resource" "app" {
  name = "${local.service_name}-${local.environment}"
}
