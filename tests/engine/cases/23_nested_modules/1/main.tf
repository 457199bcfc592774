module "app" {
  source = "./modules/app"

  name        = "shop"
  environment = "staging"
}

output "database_engine" {
  value = module.app.database_engine
}
