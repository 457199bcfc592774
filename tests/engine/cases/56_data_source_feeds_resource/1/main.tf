resource "test_resource" "origin" {
  name       = "origin"
  replace_me = "v1"
}

data "test_data" "lookup" {
  input  = test_resource.origin.id
  values = ["a", "b"]
}

resource "test_resource" "consumer" {
  name        = data.test_data.lookup.result
  count_value = data.test_data.lookup.length
}
