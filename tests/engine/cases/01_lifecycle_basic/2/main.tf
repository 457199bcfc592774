resource "test_resource" "a" {
  name        = "alpha"
  count_value = 4
  enabled     = true
  tags        = { env = "prod", team = "core" }
  items       = ["x", "y"]
  replace_me  = "one"
}
