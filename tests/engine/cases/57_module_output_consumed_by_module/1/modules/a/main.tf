resource "test_resource" "vpc" {
  name = "vpc"
}

output "vpc_id" {
  value = test_resource.vpc.id
}
