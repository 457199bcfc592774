variable "node_count" {
  type    = number
  default = 2
}

resource "test_resource" "node" {
  count = var.node_count
  name  = "node-${count.index}"
}

resource "test_resource" "lb" {
  name  = "lb"
  items = test_resource.node[*].name
}

output "node_names" {
  value = test_resource.node[*].name
}

output "node_arns" {
  value = test_resource.node.*.arn
}

output "first_node" {
  value = test_resource.node[0].name
}
