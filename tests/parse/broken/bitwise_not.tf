# expect: 2:7 Unsupported operator
a = 1 ~ 2
