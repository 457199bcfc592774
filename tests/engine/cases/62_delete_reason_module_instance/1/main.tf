variable "replicas" {
  type    = number
  default = 3
}

module "worker" {
  source = "./modules/worker"
  count  = var.replicas

  index = count.index
  pool  = "batch"
}
