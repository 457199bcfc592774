locals {
  queues = ["orders", "emails"]
}

resource "test_resource" "queue" {
  count = length(local.queues)
  name  = local.queues[count.index]
}
