# expect: 2:15 Invalid single-argument block definition
locals { a = 1
  b = 2 }
