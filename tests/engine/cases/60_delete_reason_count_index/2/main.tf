variable "bastion_count" {
  type    = number
  default = 0
}

resource "test_resource" "bastion" {
  count = var.bastion_count
  name  = "bastion-${count.index}"
}
