# expect: 2:14 Invalid multi-line string
a = "${var.x"
b = 1
