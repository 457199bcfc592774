empty     = []
one       = [1]
trailing  = [1, 2, 3,]
mixed     = ["a", 1, true, null, -2]
nested    = [[1, 2], [3, [4, 5]], []]
multiline = [
  "a",
  "b",
  "c",
]
no_trailing = [
  "x",
  "y"
]
exprs     = [var.a, var.b + 1, "${var.c}", upper("d")]
objects   = [{ a = 1 }, { b = 2 }]
