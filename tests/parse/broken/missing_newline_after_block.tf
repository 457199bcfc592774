# expect: 2:6 Missing newline after block definition
a {} b = 1
