# expect: 2:21 Unterminated template string
name = "unterminated