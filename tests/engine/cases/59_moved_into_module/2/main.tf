module "database" {
  source = "./modules/database"
  name   = "orders-db"
}

moved {
  from = test_resource.db
  to   = module.database.test_resource.this
}
