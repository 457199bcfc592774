locals {
  a = local.b
  b = local.a
  ok = 1
}
