resource "test_resource" "a" {
  name = "a"
}

resource "test_resource" "b" {
  count = test_resource.a.generation
  name  = "b"
}
