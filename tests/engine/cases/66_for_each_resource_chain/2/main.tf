resource "test_resource" "vpc" {
  for_each = toset(["east", "west", "north"])
  name     = "vpc-${each.key}"
}

resource "test_resource" "subnet" {
  for_each = test_resource.vpc

  name  = "subnet-${each.key}"
  items = [each.value.id]
}
