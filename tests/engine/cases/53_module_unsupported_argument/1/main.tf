module "logs" {
  source      = "./modules/bucket"
  bucket_name = "logs"
  region      = "eu-west-1"
}
