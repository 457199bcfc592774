resource "test_resource" "cluster" {
  name         = "cluster"
  create_delay = "20ms"

  timeouts {
    create = "30s"
    delete = "10m"
  }
}

resource "test_resource" "replica" {
  name         = "replica"
  create_delay = "2s"

  timeouts {
    create = "100ms"
  }
}
