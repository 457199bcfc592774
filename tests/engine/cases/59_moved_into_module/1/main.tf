resource "test_resource" "db" {
  name       = "orders-db"
  replace_me = "postgres-15"
}
