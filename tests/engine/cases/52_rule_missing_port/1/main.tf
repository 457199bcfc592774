resource "test_resource" "fw" {
  name = "fw"

  rule {
    port = 80
  }

  rule {
    cidr = "10.0.0.0/8"
  }
}
