resource "test_resource" "web" {
  name = "web"
}

resource "test_resource" "worker" {
  name = "worker"
  tags = { web = test_resource.web.id }
}
