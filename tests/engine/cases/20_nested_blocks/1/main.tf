resource "test_resource" "lb" {
  name = "public-lb"

  rule {
    port = 80
  }

  rule {
    port = 443
    cidr = "10.0.0.0/16"
  }

  setting {
    key   = "idle_timeout"
    value = "60"
  }

  setting {
    key   = "deletion_protection"
    value = "true"
  }
}
