simple  = (1)
expr    = (var.a + var.b) * 2
nested  = ((var.x))
in_list = [(var.a), (var.b)]
in_call = max((1), (2))
key     = { (var.k) = 1 }
multi = (
  var.a
  + var.b
)
