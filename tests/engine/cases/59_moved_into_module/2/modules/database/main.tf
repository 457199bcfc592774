variable "name" {
  type = string
}

resource "test_resource" "this" {
  name       = var.name
  replace_me = "postgres-15"
}
