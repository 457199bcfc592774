variable "bucket_name" {
  type = string
}

variable "versioning" {
  type    = bool
  default = false
}

resource "test_resource" "bucket" {
  name    = var.bucket_name
  enabled = var.versioning
}
