# expect: 3:9 Invalid character encoding
# oracle: accepts (node reads the file as UTF-8 and turns the bad byte into U+FFFD)
a = "café"
