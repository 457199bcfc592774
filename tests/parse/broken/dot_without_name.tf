# expect: 2:9 Invalid attribute name
a = var.
b = 1
