module "vpc" {
  source = "./modules/vpc"

  name               = local.name
  cidr               = var.vpc_cidr
  azs                = local.azs
  single_nat_gateway = var.single_nat_gateway
}

module "eks" {
  source  = "./modules/eks"
  version = null

  cluster_name = local.name
  vpc_id       = module.vpc.vpc_id
  subnet_ids   = module.vpc.private_subnet_ids
  node_groups  = var.node_groups

  providers = {
    aws = aws.us_west_2
  }

  depends_on = [module.vpc]
}

module "buckets" {
  source   = "./modules/s3"
  for_each = toset(["assets", "backups", "logs"])

  name = "${local.name}-${each.key}"
  tags = local.common_tags
}

module "db" {
  source = "./modules/rds"
  count  = var.create_db ? 1 : 0

  subnet_ids = module.vpc.private_subnet_ids
  password   = var.db_password
}
