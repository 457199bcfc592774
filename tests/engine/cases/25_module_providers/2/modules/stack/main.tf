variable "region" {
  type = string
}

variable "tier" {
  type    = string
  default = "large"
}

resource "test_resource" "node" {
  name = "${var.region}-node-${var.tier}"
}
