module "logs" {
  source      = "./modules/bucket"
  bucket_name = "logs"
  versionning = true
}
