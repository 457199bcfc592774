variable "queues" {
  type = map(object({
    retention = optional(number, 7)
    fifo      = optional(bool, false)
    tags      = optional(map(string), {})
  }))
  default = {
    orders = {
      fifo = true
    }
    audit = {
      retention = 365
      tags      = { compliance = "sox" }
    }
  }
}

resource "test_resource" "queue" {
  for_each = var.queues

  name        = each.key
  count_value = each.value.retention
  enabled     = each.value.fifo
  tags        = each.value.tags
}
