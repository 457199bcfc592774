resource "test_resource" "base" {
  count = 2
  name  = "base-${count.index}"
}

resource "test_resource" "derived" {
  for_each = toset(test_resource.base[*].id)
  name     = "derived-${each.key}"
}
