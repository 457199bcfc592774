resource "test_resource" "pool" {
  name        = "pool"
  count_value = "abc"
}
