locals {
  azs = slice(data.aws_availability_zones.available.names, 0, var.az_count)
  public_subnets = {
    for i, az in local.azs : az => cidrsubnet(var.cidr, 8, i)
  }
  flags = [for k, v in var.features : k if v && !contains(var.disabled, k)]
  name  = var.name != "" ? lower(replace(var.name, "_", "-")) : "default-${random_id.x.hex}"
  merged = merge([for m in var.maps : { for k, v in m : k => v if v != null }]...)
  ports = flatten([
    for svc in var.services : [
      for p in svc.ports : {
        service = svc.name
        port    = p
      }
    ]
  ])
  ternary_chain = var.size == "s" ? 1 : var.size == "m" ? 2 : var.size == "l" ? 4 : 8
}
