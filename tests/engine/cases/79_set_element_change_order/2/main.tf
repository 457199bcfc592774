resource "test_resource" "instance" {
  name   = "web"
  labels = ["web", "canary", "linux"]
}
