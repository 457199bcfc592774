resource "test_resource" "vpc" {
  for_each = toset(["east", "west"])
  name     = "vpc-${each.key}"
}

resource "test_resource" "subnet" {
  for_each = test_resource.vpc

  name  = "subnet-${each.key}"
  items = [each.value.id]
}
