module "frontend" {
  source   = "./modules/site"
  name     = "frontend"
  peer_url = module.backend.url
}

module "backend" {
  source   = "./modules/site"
  name     = "backend"
  peer_url = module.frontend.url
}
