by_name  = { for u in var.users : u.name => u }
kv       = { for k, v in var.map : upper(k) => v }
grouped  = { for u in var.users : u.role => u.name... }
filtered = { for k, v in var.map : k => v if v != null }
group_if = { for u in var.users : u.team => u... if u.active }
multi = {
  for s in aws_subnet.this :
  s.availability_zone => s.id
}
