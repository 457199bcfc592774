resource "test_resource" "a" {
  nmae = "typo"
}
