variable "n" {
  default = 3
}

resource "test_resource" "web" {
  count = var.n
  name  = "web-${count.index}"
}
