# expect: 2:10 Invalid escape sequence
a = "bad \q escape"
