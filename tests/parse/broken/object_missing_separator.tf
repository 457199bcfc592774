# expect: 3:9 Missing attribute separator
a = {
  b = 1 c = 2
}
