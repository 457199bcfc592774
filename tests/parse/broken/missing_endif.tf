# expect: 2:20 Unexpected end of template
a = "%{if var.x}yes"
