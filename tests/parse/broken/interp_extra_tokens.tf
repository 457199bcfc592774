# expect: 2:14 Extra characters after interpolation expression
a = "${var.a var.b}"
