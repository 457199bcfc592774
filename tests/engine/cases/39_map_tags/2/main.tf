resource "test_resource" "vm" {
  name = "vm-1"
  tags = {
    Name        = "vm-1"
    Environment = "prod"
    Owner       = "platform"
  }
}
