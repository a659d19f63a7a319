output "alb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the load balancer (CloudWatch dimension; part of the ALBRequestCountPerTarget resource label)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Canonical hosted zone ID of the load balancer (for Route 53 alias records)."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "ID of the ALB's security group (the only source the ECS tasks admit)."
  value       = aws_security_group.alb.id
}

output "target_group_arn" {
  description = "ARN of the backend target group (type ip, HTTP, target_port)."
  value       = aws_lb_target_group.backend.arn
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (part of the ALBRequestCountPerTarget resource label)."
  value       = aws_lb_target_group.backend.arn_suffix
}

output "http_listener_arn" {
  description = "ARN of the HTTP :80 listener (redirects to HTTPS)."
  value       = aws_lb_listener.http.arn
}

output "https_listener_arn" {
  description = "ARN of the HTTPS :443 listener."
  value       = aws_lb_listener.https.arn
}

output "certificate_arn" {
  description = "ARN of the certificate on the HTTPS listener (created and validated here, or the one passed in)."
  value       = local.certificate_arn
}

output "access_logs_bucket" {
  description = "Bucket of the ALB access logs (null when access_logs_enabled is false)."
  value       = var.access_logs_enabled ? local.access_logs_bucket : null
}

output "traffic_timing" {
  description = "How the target group moves traffic on and off a task: deregistration_delay, and the health check's interval, timeout, healthy and unhealthy thresholds (seconds and counts)."
  value = {
    deregistration_delay  = tonumber(aws_lb_target_group.backend.deregistration_delay)
    health_check_interval = aws_lb_target_group.backend.health_check[0].interval
    health_check_timeout  = aws_lb_target_group.backend.health_check[0].timeout
    healthy_threshold     = aws_lb_target_group.backend.health_check[0].healthy_threshold
    unhealthy_threshold   = aws_lb_target_group.backend.health_check[0].unhealthy_threshold
  }
}
