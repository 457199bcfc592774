resource "test_resource" "queue" {
  name = "jobs"
  config = {
    a = "fifo"
    b = 30
  }
}
