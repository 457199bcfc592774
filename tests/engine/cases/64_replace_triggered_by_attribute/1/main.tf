resource "test_resource" "config" {
  name  = "app-config"
  items = ["v1"]
}

resource "test_resource" "app" {
  name = "app"

  lifecycle {
    replace_triggered_by = [test_resource.config]
  }
}
