variable "enable_monitoring" {
  type    = bool
  default = false
}

resource "test_resource" "app" {
  name = "app"
}

resource "test_resource" "monitor" {
  count = var.enable_monitoring ? 1 : 0

  name  = "app-monitor"
  items = [test_resource.app.id]
}

output "monitor_id" {
  value = var.enable_monitoring ? test_resource.monitor[0].id : null
}
