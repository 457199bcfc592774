# expect: 2:9 Invalid multi-line string
a = "abc
b = 2
