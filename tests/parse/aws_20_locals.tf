locals {
  common_tags = {
    Environment = var.environment
    Project     = var.project
    Owner       = "platform-team"
    CostCenter  = "1234"
  }

  is_prod = var.environment == "prod"

  instance_sizes = {
    dev     = "t3.small"
    staging = "t3.medium"
    prod    = "m6i.large"
  }

  instance_type = lookup(local.instance_sizes, var.environment, "t3.micro")

  subnet_map = {
    for idx, subnet in aws_subnet.private : subnet.availability_zone => {
      id   = subnet.id
      cidr = subnet.cidr_block
      idx  = idx
    }
  }

  all_cidrs = concat(local.public_subnets, local.private_subnets, local.db_subnets)

  user_data = base64encode(templatefile("${path.module}/bootstrap.sh", {
    cluster  = local.name
    endpoint = aws_eks_cluster.main.endpoint
    ca       = aws_eks_cluster.main.certificate_authority[0].data
  }))
}
