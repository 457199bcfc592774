variable "db_password" {
  type      = string
  sensitive = true
  default   = "hunter2-s3cr3t"
}

variable "db_user" {
  type      = string
  sensitive = true
  default   = "admin-user-x9"
}

resource "test_resource" "db" {
  name   = "orders-db"
  secret = var.db_password
}

resource "test_resource" "user" {
  name = var.db_user
  tags = { role = "readonly" }
}
