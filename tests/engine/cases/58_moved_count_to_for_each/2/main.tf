locals {
  queues = ["orders", "emails"]
}

resource "test_resource" "queue" {
  for_each = toset(local.queues)
  name     = each.key
}

moved {
  from = test_resource.queue[0]
  to   = test_resource.queue["orders"]
}

moved {
  from = test_resource.queue[1]
  to   = test_resource.queue["emails"]
}
