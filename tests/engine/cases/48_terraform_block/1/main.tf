terraform {
  required_version = ">= 1.5.0"

  required_providers {
    test = {
      source  = "cairn/test"
      version = ">= 0.1"
    }
  }

  backend "local" {}
}

provider "test" {}

resource "test_resource" "hello" {
  name = "hello"
}

output "hello_arn" {
  value = test_resource.hello.arn
}
