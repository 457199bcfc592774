locals {
  appname = "checkout"
}

resource "test_resource" "app" {
  name = local.app_name
}
