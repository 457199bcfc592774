variable "name" {
  type = string
}

variable "environment" {
  type = string
}

module "database" {
  source = "../database"

  identifier = "${var.name}-${var.environment}-db"
}

resource "test_resource" "server" {
  name = "${var.name}-${var.environment}"
  tags = {
    database = module.database.identifier
  }
}

output "database_engine" {
  value = module.database.engine
}
