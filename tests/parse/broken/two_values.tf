# expect: 2:7 Missing newline after argument
a = 1 2
