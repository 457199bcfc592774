resource "test_resource" "lb" {
  name = "public-lb"

  setting {
    key   = "idle_timeout"
    value = "60"
  }

  setting {
    key   = "deletion_protection"
    value = "true"
  }
}
