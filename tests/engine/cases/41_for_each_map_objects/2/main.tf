variable "services" {
  type = map(object({
    port   = number
    public = bool
    labels = set(string)
  }))
  default = {
    frontend = {
      port   = 443
      public = true
      labels = ["web"]
    }
    backend = {
      port   = 9090
      public = false
      labels = ["api", "internal"]
    }
  }
}

resource "test_resource" "service" {
  for_each = var.services

  name        = each.key
  count_value = each.value.port
  enabled     = each.value.public
  labels      = each.value.labels
}

output "public_services" {
  value = [for name, svc in var.services : name if svc.public]
}
