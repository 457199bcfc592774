locals {
  buckets = {
    logs    = 30
    assets  = 365
    backups = 90
  }
}

module "bucket" {
  source   = "./modules/bucket"
  for_each = local.buckets

  name           = each.key
  retention_days = each.value
}

output "assets_bucket" {
  value = module.bucket["assets"].name
}
