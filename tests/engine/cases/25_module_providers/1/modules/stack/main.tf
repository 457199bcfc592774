variable "region" {
  type = string
}

variable "tier" {
  type    = string
  default = "small"
}

resource "test_resource" "node" {
  name = "${var.region}-node-${var.tier}"
}
