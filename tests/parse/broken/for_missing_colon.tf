# expect: 2:24 Invalid 'for' expression
a = [for x in var.list x]
