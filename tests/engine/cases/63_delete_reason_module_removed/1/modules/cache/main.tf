variable "name" {
  type = string
}

resource "test_resource" "cluster" {
  name = "${var.name}-cluster"
}

resource "test_resource" "parameter_group" {
  name  = "${var.name}-params"
  items = [test_resource.cluster.id]
}
