variable "env" {
  type    = string
  default = "qa"

  validation {
    condition     = contains(["dev", "prod"], var.env)
    error_message = "env must be dev or prod."
  }
}

resource "test_resource" "a" {
  name = var.env
}
