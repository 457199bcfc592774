resource "test_resource" "queue" {
  name = "jobs"
}

resource "test_resource" "topic" {
  name = "events"
  tags = { team = "data" }
}
