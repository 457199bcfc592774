# expect: 2:11 Invalid string literal
resource "${var.type}" "x" {
}
