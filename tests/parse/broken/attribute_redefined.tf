# expect: 4:1 Attribute redefined
a = 1
b = 2
a = 3
