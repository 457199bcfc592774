resource "test_resource" "base" {
  count = 2
  name  = "base-${count.index}"
}

resource "test_resource" "derived" {
  for_each = { for b in test_resource.base : b.id => b.name }
  name     = "derived-${each.value}"
}
