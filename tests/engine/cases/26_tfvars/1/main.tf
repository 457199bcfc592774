resource "test_resource" "app" {
  count = var.instance_count

  name = "${var.environment}-app-${count.index}"
  tags = merge(var.tags, { environment = var.environment })
}
