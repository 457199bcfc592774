provider "test" {}

provider "test" {
  alias  = "b"
  prefix = "b-"
}

resource "test_resource" "primary" {
  name = "primary"
}

resource "test_resource" "secondary" {
  provider = test.b
  name     = "secondary"
}

output "secondary_id" {
  value = test_resource.secondary.id
}
