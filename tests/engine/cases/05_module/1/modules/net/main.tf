variable "prefix" {
  type = string
}

variable "zones" {
  type = list(string)
}

resource "test_resource" "vpc" {
  name = "${var.prefix}-vpc"
}

resource "test_resource" "subnet" {
  count = length(var.zones)
  name  = "${var.prefix}-${var.zones[count.index]}"
  items = [test_resource.vpc.id]
}

output "subnet_names" {
  value = test_resource.subnet[*].name
}
