none      = timestamp()
one       = upper("x")
two       = join(",", var.list)
nested    = lower(trimspace(format("%s-%s", var.a, var.b)))
expand    = max(var.numbers...)
expand2   = concat([1], var.rest...)
trailing  = coalesce(
  var.a,
  var.b,
)
multiline = merge(
  var.tags,
  {
    Name = "x"
  }
)
in_tmpl   = "${length(var.list)} items"
cidr      = cidrsubnet(var.vpc_cidr, 8, count.index + 1)
jsonenc   = jsonencode({ a = [1, 2], b = { c = true } })
