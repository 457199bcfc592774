# expect: 2:8 Invalid expression
a = 1 /* never closed
b = 2
