variable "db_password" {
  type      = string
  sensitive = true
  default   = "correct-horse-b4ttery"
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
  tags = { role = "readwrite" }
}
