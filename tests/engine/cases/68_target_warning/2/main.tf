resource "test_resource" "database" {
  name = "database"
}

resource "test_resource" "app" {
  name = "app"
  tags = { db = test_resource.database.id }
}

resource "test_resource" "dashboard" {
  name = "dashboard"
}
