variable "identifier" {
  type = string
}

resource "test_resource" "db" {
  name       = var.identifier
  replace_me = "postgres-15"
}

output "identifier" {
  value = test_resource.db.name
}

output "engine" {
  value = test_resource.db.replace_me
}
