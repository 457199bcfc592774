output "vpc_id" {
  description = "The VPC"
  value       = aws_vpc.main.id
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "public_subnets_by_az" {
  value = zipmap(aws_subnet.public[*].availability_zone, aws_subnet.public[*].id)
}

output "eks_endpoint" {
  value = aws_eks_cluster.main.endpoint
}

output "kubeconfig_command" {
  value = "aws eks update-kubeconfig --name ${aws_eks_cluster.main.name} --region ${var.region}"
}

output "db_endpoint" {
  value     = aws_db_instance.main.endpoint
  sensitive = true
}

output "redis_endpoint" {
  value = aws_elasticache_replication_group.redis.configuration_endpoint_address
}

output "alb_dns" {
  value       = aws_lb.main.dns_name
  description = "Point your CNAME here"
  depends_on  = [aws_lb_listener.https]
}

output "bucket" {
  value = {
    name = aws_s3_bucket.assets.id
    arn  = aws_s3_bucket.assets.arn
  }
}
