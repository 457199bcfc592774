resource "test_resource" "user" {
  for_each = toset(["alice", "bob", "carol"])

  name = each.value
  tags = { login = each.key }
}
