resource "aws_security_group" "dyn" {
  name = "dynamic"

  dynamic "ingress" {
    for_each = var.ingress_rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
    }
  }

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags["CreatedAt"], description]
  }
}
