output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "vpc_ipv6_cidr_block" {
  description = "IPv6 CIDR block of the VPC (null when enable_ipv6 is false)."
  value       = var.enable_ipv6 ? aws_vpc.this.ipv6_cidr_block : null
}

output "azs" {
  description = "Availability zones used, in subnet order."
  value       = var.azs
}

output "public_subnet_ids" {
  description = "IDs of the public subnets, in the order of var.azs."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, in the order of var.azs."
  value       = aws_subnet.private[*].id
}

output "public_route_table_id" {
  description = "ID of the public route table."
  value       = aws_route_table.public.id
}

output "private_route_table_ids" {
  description = "IDs of the private route tables, in the order of var.azs."
  value       = aws_route_table.private[*].id
}

output "internet_gateway_id" {
  description = "ID of the internet gateway."
  value       = aws_internet_gateway.this.id
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways (one, or one per AZ)."
  value       = aws_nat_gateway.this[*].id
}

output "nat_public_ips" {
  description = "Public IPv4 addresses of the NAT gateways: the service's egress addresses (for allow-lists at Paystack and others)."
  value       = aws_eip.nat[*].public_ip
}

output "flow_log_group_name" {
  description = "CloudWatch log group of the VPC flow logs (null when disabled)."
  value       = one(aws_cloudwatch_log_group.flow_logs[*].name)
}

output "s3_gateway_endpoint_id" {
  description = "ID of the S3 gateway endpoint (null when disabled)."
  value       = one(aws_vpc_endpoint.s3[*].id)
}
