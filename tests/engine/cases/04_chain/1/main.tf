resource "test_resource" "vpc" {
  name = "vpc"
}

resource "test_resource" "subnet" {
  name  = "subnet"
  items = [test_resource.vpc.id]
}

resource "test_resource" "route" {
  name = "route-${test_resource.subnet.generation}"
  tags = { subnet = test_resource.subnet.id, vpc = test_resource.vpc.arn }
}

output "route_name" {
  value = test_resource.route.name
}
