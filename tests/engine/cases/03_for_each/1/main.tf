locals {
  zones = {
    a = "10.0.1.0/24"
    b = "10.0.2.0/24"
  }
}

resource "test_resource" "subnet" {
  for_each = local.zones
  name     = "subnet-${each.key}"
  tags     = { cidr = each.value }
}
