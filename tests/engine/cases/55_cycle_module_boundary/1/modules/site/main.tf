variable "name" {
  type = string
}

variable "peer_url" {
  type = string
}

resource "test_resource" "site" {
  name = var.name
  tags = { peer = var.peer_url }
}

output "url" {
  value = "https://${test_resource.site.id}.example.com"
}
