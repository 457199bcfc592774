resource "test_resource" "a" {
  name        = "alpha"
  count_value = 3
  enabled     = true
  tags        = { env = "dev", team = "core" }
  items       = ["x", "y"]
  replace_me  = "one"
}
