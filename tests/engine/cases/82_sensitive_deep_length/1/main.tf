resource "test_resource" "b" {
  count = 2
  name  = "b-${count.index}"
}
resource "test_resource" "one" {
  name  = "one"
}
output "len_all" {
  value = length(test_resource.b)
}
output "len_names" {
  value = length(test_resource.b[*].name)
}
output "name0" {
  value = test_resource.b[0].name
}
output "keys_one" {
  value = length(keys(test_resource.one))
}
