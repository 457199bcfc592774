resource "test_resource" "cert" {
  name       = "api-cert"
  replace_me = "2024-01"

  lifecycle {
    create_before_destroy = true
  }
}

resource "test_resource" "listener" {
  name = "api-listener"
  tags = {
    certificate = test_resource.cert.id
  }
}
