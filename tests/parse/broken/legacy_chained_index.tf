# expect: 2:14 Invalid legacy index syntax
a = var.list.1.2
