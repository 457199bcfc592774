# expect: 3:1 Missing item separator
a = [1, 2
b = 3
