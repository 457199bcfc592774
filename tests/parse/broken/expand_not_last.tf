# expect: 2:8 Missing closing parenthesis
a = f(x..., y)
