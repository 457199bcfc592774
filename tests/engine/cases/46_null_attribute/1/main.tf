variable "tagging" {
  type    = bool
  default = true
}

resource "test_resource" "disk" {
  name   = "data-disk"
  tags   = var.tagging ? { backup = "daily" } : null
  labels = var.tagging ? ["ssd"] : null
}
