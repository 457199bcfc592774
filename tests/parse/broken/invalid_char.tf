# expect: 3:5 Invalid character
a = 1
b = @
