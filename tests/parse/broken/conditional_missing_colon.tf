# expect: 2:14 Missing false expression in conditional
a = var.x ? 1
