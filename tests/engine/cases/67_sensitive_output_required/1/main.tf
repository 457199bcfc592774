variable "api_token" {
  type      = string
  sensitive = true
  default   = "tok-12345-secret"
}

resource "test_resource" "client" {
  name   = "client"
  secret = var.api_token
}

output "token" {
  value = var.api_token
}
