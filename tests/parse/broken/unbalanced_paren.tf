# expect: 3:1 Unbalanced parentheses
a = (1 + 2
b = 3
