# expect: 2:18 Unclosed configuration block
resource "x" "y" {
  inner {
    a = 1
}
