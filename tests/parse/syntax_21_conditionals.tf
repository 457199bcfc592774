simple   = var.prod ? "large" : "small"
nested   = var.a ? "a" : var.b ? "b" : "c"
in_true  = var.a ? (var.b ? 1 : 2) : 3
numeric  = var.n > 5 ? var.n : 5
with_nul = var.id != "" ? var.id : null
multi = (
  var.enabled
  ? "yes"
  : "no"
)
logic    = var.a && var.b ? "both" : "not both"
