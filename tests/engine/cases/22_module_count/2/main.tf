variable "replicas" {
  type    = number
  default = 2
}

module "worker" {
  source = "./modules/worker"
  count  = var.replicas

  index = count.index
  pool  = "batch"
}

output "first_worker" {
  value = module.worker[0].name
}
