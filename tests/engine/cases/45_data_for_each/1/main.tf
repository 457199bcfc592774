data "test_data" "env" {
  for_each = toset(["dev", "prod"])

  input  = each.key
  values = [each.key, "shared"]
}

resource "test_resource" "config" {
  for_each = data.test_data.env

  name        = each.value.result
  count_value = each.value.length
}

output "prod_id" {
  value = data.test_data.env["prod"].id
}
