output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.main.id
}

output "public_subnet_ids" {
  description = "Public subnet IDs by availability zone."
  value       = { for az, s in aws_subnet.public : az => s.id }
}

output "private_subnet_ids" {
  description = "Private subnet IDs, in availability-zone order."
  value       = [for az in local.azs : aws_subnet.private[az].id]
}

output "nat_gateway_public_ips" {
  description = "Public IP addresses of the NAT gateways."
  value       = values(aws_eip.nat)[*].public_ip
}

output "subnet_summary" {
  description = "One line per private subnet: zone, CIDR and gateway address."
  value       = join("\n", local.subnet_summary)
}
