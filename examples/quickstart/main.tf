# A small stack for the `test` provider (docs/test-provider.md): objects are
# JSON files in $TEST_PROVIDER_DIR, so plan/apply/destroy can be tried
# without any cloud.  `make demo` runs it.
variable "environment" {
  type    = string
  default = "demo"
}

variable "zones" {
  type    = list(string)
  default = ["a", "b", "c"]
}

locals {
  common_tags = {
    environment = var.environment
    managed_by  = "cairn"
  }
}

resource "test_resource" "network" {
  name = "${var.environment}-network"
  tags = local.common_tags
}

resource "test_resource" "subnet" {
  for_each = toset(var.zones)

  name         = "${var.environment}-subnet-${each.key}"
  items        = [test_resource.network.id]
  tags         = merge(local.common_tags, { zone = each.key })
  create_delay = "300ms"
}

resource "test_resource" "service" {
  count = 2

  name  = "${var.environment}-service-${count.index}"
  items = [for s in test_resource.subnet : s.id]

  rule {
    port = 443
    cidr = "0.0.0.0/0"
  }
}

output "network_arn" {
  value = test_resource.network.arn
}

output "subnet_names" {
  value = [for s in test_resource.subnet : s.name]
}
