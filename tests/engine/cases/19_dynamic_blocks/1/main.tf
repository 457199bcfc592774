variable "ingress" {
  type = list(object({
    port = number
    cidr = string
  }))
  default = [
    { port = 80, cidr = "0.0.0.0/0" },
    { port = 443, cidr = "0.0.0.0/0" },
  ]
}

variable "settings" {
  type = map(string)
  default = {
    idle_timeout = "60"
    http2        = "true"
  }
}

resource "test_resource" "firewall" {
  name = "web-fw"

  dynamic "rule" {
    for_each = var.ingress
    iterator = ingress
    content {
      port = ingress.value.port
      cidr = ingress.value.cidr
    }
  }

  dynamic "setting" {
    for_each = var.settings
    content {
      key   = setting.key
      value = setting.value
    }
  }
}
