locals {
  a = local.b
  b = test_resource.x.name
}

resource "test_resource" "x" {
  name = local.a
}
