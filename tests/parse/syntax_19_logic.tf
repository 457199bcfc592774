eq      = var.a == var.b
ne      = var.a != "x"
lt      = var.n < 10
le      = var.n <= 10
gt      = var.n > 0
ge      = var.n >= 0
and     = var.a && var.b
or      = var.a || var.b
prec1   = var.a || var.b && var.c
prec2   = var.a == 1 || var.b != 2 && var.c < 3
prec3   = var.x + 1 > var.y * 2
prec4   = !var.a || !var.b
compare = 1 < 2 == true
