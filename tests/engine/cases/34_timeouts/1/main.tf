resource "test_resource" "cluster" {
  name         = "cluster"
  create_delay = "20ms"

  timeouts {
    create = "30s"
    delete = "10m"
  }
}
