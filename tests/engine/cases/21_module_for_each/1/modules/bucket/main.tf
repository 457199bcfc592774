variable "name" {
  type = string
}

variable "retention_days" {
  type    = number
  default = 30
}

resource "test_resource" "this" {
  name        = "bucket-${var.name}"
  count_value = var.retention_days
  tags        = { purpose = var.name }
}

output "id" {
  value = test_resource.this.id
}

output "name" {
  value = test_resource.this.name
}
