# expect: 2:17 Invalid block definition
resource "a" "b"
