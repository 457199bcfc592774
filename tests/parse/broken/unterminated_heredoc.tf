# expect: 5:1 Unterminated template string
doc = <<EOT
line one
line two
