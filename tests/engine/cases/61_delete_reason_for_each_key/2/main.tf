resource "test_resource" "user" {
  for_each = toset(["alice", "carol", "dave"])

  name = each.value
  tags = { login = each.key }
}
