# expect: 4:9 Invalid expression
resource "x" "y" {
  ok = 1
  bad = 
  also_ok = 2
}
