variable "size" {
  default = 3
}

resource "test_resource" "a" {
  name        = "sized"
  count_value = var.size

  lifecycle {
    precondition {
      condition     = var.size < 10
      error_message = "size must be below 10."
    }
    postcondition {
      condition     = self.name == "sized"
      error_message = "name must stay."
    }
  }
}

output "size" {
  value = test_resource.a.count_value

  precondition {
    condition     = test_resource.a.count_value > 0
    error_message = "size must be positive."
  }
}
