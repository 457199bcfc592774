locals {
  settings = {
    listen  = 8080
    workers = 4
  }
  hosts = split(",", "a.example.com,b.example.com")
}

resource "test_resource" "server" {
  name = templatefile("${path.module}/templates/user_data.tftpl", {
    hostname = "app-01"
    packages = ["nginx", "jq"]
  })
  items = [for h in local.hosts : trimsuffix(h, ".example.com")]
  tags = {
    settings = jsonencode(local.settings)
    checksum = substr(sha256(file("${path.module}/templates/user_data.tftpl")), 0, 8)
    first    = coalesce("", "fallback")
    region   = try(local.settings.region, "us-east-1")
  }
}
