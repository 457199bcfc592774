# expect: 2:17 Missing close bracket on splat index
a = var.list[*.x]
