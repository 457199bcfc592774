variable "index" {
  type = number
}

variable "pool" {
  type = string
}

resource "test_resource" "node" {
  name        = "${var.pool}-worker-${var.index}"
  count_value = var.index
}

output "name" {
  value = test_resource.node.name
}
