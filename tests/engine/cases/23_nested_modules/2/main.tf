module "app" {
  source = "./modules/app"

  name        = "shop"
  environment = "production"
}

output "database_engine" {
  value = module.app.database_engine
}
