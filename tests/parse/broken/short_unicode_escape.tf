# expect: 2:6 Invalid escape sequence
a = "\u12 too short"
