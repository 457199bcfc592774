resource "test_resource" "fw" {
  name = "fw"

  rules {
    port = 443
  }
}
