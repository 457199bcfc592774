module "network" {
  source = "./modules/a"
}

module "service" {
  source = "./modules/b"
  vpc_id = module.network.vpc_id
}
