module "net" {
  source = "./modules/net"
  prefix = "prod"
  zones  = ["a", "b"]
}

output "subnet_names" {
  value = module.net.subnet_names
}
