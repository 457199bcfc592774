data "test_data" "info" {
  input  = "hello"
  values = ["a", "b", "c"]
}

resource "test_resource" "a" {
  name        = data.test_data.info.result
  count_value = data.test_data.info.length
}

output "result" {
  value = data.test_data.info.result
}
