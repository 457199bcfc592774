resource "test_resource" "app" {
  name = "app"
}

import {
  to = test_resource.legacy
  id = "tr-00000000000000aa"
}

resource "test_resource" "legacy" {
  name    = "legacy-db"
  enabled = true
  tags    = { owner = "dba" }
}
