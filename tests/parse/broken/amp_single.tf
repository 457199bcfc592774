# expect: 2:10 Unsupported operator
a = true & false
