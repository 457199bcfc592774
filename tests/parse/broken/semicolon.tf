# expect: 2:6 Invalid character
a = 1;
b = 2
