# expect: 4:1 Missing close bracket on index
a = var.list[0
b = 1
