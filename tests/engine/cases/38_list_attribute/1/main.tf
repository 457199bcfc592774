resource "test_resource" "dns" {
  name  = "resolver"
  items = ["10.0.0.2", "10.0.0.3", "10.0.0.4"]
}
