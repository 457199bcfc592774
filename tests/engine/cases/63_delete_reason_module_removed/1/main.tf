resource "test_resource" "app" {
  name = "app"
}

module "cache" {
  source = "./modules/cache"
  name   = "sessions"
}
