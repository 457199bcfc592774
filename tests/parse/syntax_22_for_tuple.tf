upper  = [for s in var.list : upper(s)]
pairs  = [for k, v in var.map : "${k}=${v}"]
filter = [for s in var.list : s if s != ""]
index  = [for i, v in var.list : i * 2]
nested = [for xs in var.matrix : [for x in xs : x + 1]]
multi = [
  for subnet in aws_subnet.private :
  subnet.id
  if subnet.map_public_ip_on_launch == false
]
objs = [for u in var.users : { name = u.name, admin = u.role == "admin" }]
