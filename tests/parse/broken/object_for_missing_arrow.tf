# expect: 2:28 Invalid 'for' expression
a = {for k, v in var.m : k v}
