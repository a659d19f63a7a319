locals {
  record_types = var.create_aaaa_record ? ["A", "AAAA"] : ["A"]
}

# api.<env>.bet2wealth.co -> ALB, as alias records (no CNAME: free queries, works at any level).
resource "aws_route53_record" "api" {
  for_each = toset(local.record_types)

  zone_id = var.zone_id
  name    = var.record_name
  type    = each.key

  alias {
    name                   = var.alb_dns_name
    zone_id                = var.alb_zone_id
    evaluate_target_health = var.evaluate_target_health
  }
}
