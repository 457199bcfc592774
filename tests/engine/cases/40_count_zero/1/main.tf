variable "bastion_count" {
  type    = number
  default = 0
}

resource "test_resource" "vpc" {
  name = "vpc"
}

resource "test_resource" "bastion" {
  count = var.bastion_count
  name  = "bastion-${count.index}"
  items = [test_resource.vpc.id]
}

output "bastion_names" {
  value = test_resource.bastion[*].name
}
