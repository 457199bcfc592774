resource "test_resource" "new" {
  name = "keep-me"
}

moved {
  from = test_resource.old
  to   = test_resource.new
}
