variable "environment" {
  type        = string
  description = "Deployment environment."
}

variable "instance_count" {
  type    = number
  default = 1
}

variable "tags" {
  type    = map(string)
  default = {}
}
