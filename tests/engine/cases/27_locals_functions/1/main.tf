locals {
  services  = ["api", "worker", "cron"]
  base_tags = { project = "cairn", managed_by = "terraform" }
  ports     = { api = 8080, worker = 9090 }

  enabled_services = [for s in local.services : s if s != "cron"]
  display_names    = [for s in local.services : upper(s)]
  service_codes = {
    for s in local.services : s => format("%s-%05d", s, lookup(local.ports, s, 0))
  }
}

resource "test_resource" "svc" {
  for_each = toset(local.enabled_services)

  name        = format("%s-svc", each.key)
  count_value = lookup(local.ports, each.key, 80)
  items       = local.display_names
  tags = merge(local.base_tags, {
    service = each.key
    code    = local.service_codes[each.key]
  })
}

output "codes" {
  value = join(",", values(local.service_codes))
}
