# Fixture for tests/suites/eval_console.sh: variables, locals, declared
# resources, as `cairn console` sees them.
variable "region" {
  type    = string
  default = "us-east-1"
}

variable "azs" {
  type    = list(string)
  default = ["a", "b"]
}

variable "instance_count" {
  type    = number
  default = "2"
}

variable "settings" {
  type = object({
    name = string
    size = optional(number, 10)
  })
  default = { name = "x" }
}

variable "password" {
  type      = string
  default   = "hunter2"
  sensitive = true
}

variable "untyped" {
  default = 5
}

locals {
  prefix  = "app-${var.region}"
  names   = [for az in var.azs : "${local.prefix}-${az}"]
  doubled = var.instance_count * 2
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
