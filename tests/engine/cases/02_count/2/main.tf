variable "n" {
  default = 2
}

resource "test_resource" "web" {
  count = var.n
  name  = "web-${count.index}"
}
