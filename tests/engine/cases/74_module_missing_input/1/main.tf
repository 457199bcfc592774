module "logs" {
  source = "./modules/bucket"
}
