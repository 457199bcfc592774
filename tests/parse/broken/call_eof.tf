# expect: 3:1 Missing expression
a = max(1,
