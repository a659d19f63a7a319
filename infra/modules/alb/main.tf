data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
# The Elastic Load Balancing account of the region (eu-central-1 and the other regions older than
# August 2022 deliver access logs as this account; newer regions use the log delivery service principal).
data "aws_elb_service_account" "current" {}

locals {
  # The account id keeps the (global) bucket name unique; the name itself stays out of the code.
  access_logs_bucket = "${var.name}-alb-logs-${data.aws_caller_identity.current.account_id}"
  access_logs_arn    = "arn:${data.aws_partition.current.partition}:s3:::${local.access_logs_bucket}"

  create_certificate = var.certificate_arn == null
  certificate_arn    = local.create_certificate ? one(aws_acm_certificate_validation.this[*].certificate_arn) : var.certificate_arn

  listener_ports = [80, 443]
  ingress_rules = merge(
    { for pair in setproduct(var.ingress_ipv4_cidrs, local.listener_ports) :
      "ipv4-${pair[0]}-${pair[1]}" => { cidr_ipv4 = pair[0], cidr_ipv6 = null, port = pair[1] }
    },
    var.ip_address_type == "dualstack" ? { for pair in setproduct(var.ingress_ipv6_cidrs, local.listener_ports) :
      "ipv6-${pair[0]}-${pair[1]}" => { cidr_ipv4 = null, cidr_ipv6 = pair[0], port = pair[1] }
    } : {},
  )
}

# ---------------------------------------------------------------- security group
resource "aws_security_group" "alb" {
  name_prefix = "${var.name}-alb-"
  description = "Public ALB of ${var.name}: HTTP/HTTPS in from the internet, HTTP out to the tasks"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "listeners" {
  #checkov:skip=CKV_AWS_260:Port 80 is open to the internet only to answer 301 redirects to HTTPS.
  for_each = local.ingress_rules

  security_group_id = aws_security_group.alb.id
  description       = "Internet to ALB listener ${each.value.port}"
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr_ipv4
  cidr_ipv6         = each.value.cidr_ipv6

  tags = var.tags
}

# The ALB only talks to targets inside the VPC, on the target port (the tasks' own security group
# narrows this further: it admits the ALB's security group only).
resource "aws_vpc_security_group_egress_rule" "targets" {
  security_group_id = aws_security_group.alb.id
  description       = "ALB to targets and health checks"
  ip_protocol       = "tcp"
  from_port         = var.target_port
  to_port           = var.target_port
  cidr_ipv4         = var.vpc_cidr_block

  tags = var.tags
}

# ---------------------------------------------------------------- access logs bucket
# One bucket per environment, managed here: private, owner-enforced, SSE-S3 (the only encryption
# ALB log delivery supports), TLS-only, objects expire after access_logs_retention_days.
resource "aws_s3_bucket" "access_logs" {
  #checkov:skip=CKV_AWS_18:This is the access-log bucket; logging it to itself would loop.
  #checkov:skip=CKV_AWS_144:Cross-region replication of ALB access logs is not needed.
  #checkov:skip=CKV_AWS_145:ALB log delivery supports SSE-S3 only, not SSE-KMS.
  #checkov:skip=CKV_AWS_21:Log objects are written once and expire; versioning would only keep expired copies.
  #checkov:skip=CKV2_AWS_62:No event notifications are needed for access logs.
  count = var.access_logs_enabled ? 1 : 0

  bucket        = local.access_logs_bucket
  force_destroy = var.access_logs_force_destroy

  tags = merge(var.tags, { Name = local.access_logs_bucket })
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket                  = aws_s3_bucket.access_logs[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_logs_retention_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

data "aws_iam_policy_document" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  statement {
    sid       = "ElbAccountDelivers"
    actions   = ["s3:PutObject"]
    resources = ["${local.access_logs_arn}/${var.access_logs_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }

  statement {
    sid       = "LogDeliveryServiceDelivers"
    actions   = ["s3:PutObject"]
    resources = ["${local.access_logs_arn}/${var.access_logs_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.access_logs_arn, "${local.access_logs_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  count = var.access_logs_enabled ? 1 : 0

  bucket = aws_s3_bucket.access_logs[0].id
  policy = data.aws_iam_policy_document.access_logs[0].json

  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}

# ---------------------------------------------------------------- load balancer
resource "aws_lb" "this" {
  #checkov:skip=CKV_AWS_91:Access logs are on by default (access_logs_enabled), to the bucket below.
  #checkov:skip=CKV_AWS_150:Deletion protection is a variable, on in production.
  #checkov:skip=CKV2_AWS_28:The WAF web ACL is associated by the waf module (modules/waf).
  name               = var.name
  internal           = false
  load_balancer_type = "application"
  ip_address_type    = var.ip_address_type
  security_groups    = [aws_security_group.alb.id]
  subnets            = var.public_subnet_ids

  drop_invalid_header_fields = true
  idle_timeout               = var.idle_timeout
  enable_http2               = true
  enable_deletion_protection = var.enable_deletion_protection
  desync_mitigation_mode     = "defensive"

  dynamic "access_logs" {
    for_each = var.access_logs_enabled ? [aws_s3_bucket.access_logs[0].id] : []

    content {
      bucket  = access_logs.value
      prefix  = var.access_logs_prefix
      enabled = true
    }
  }

  tags = merge(var.tags, { Name = var.name })

  # The ALB checks that it may write to the bucket when access logs are switched on.
  depends_on = [aws_s3_bucket_policy.access_logs]
}

resource "aws_lb_target_group" "backend" {
  #checkov:skip=CKV_AWS_378:TLS terminates at the ALB; ALB-to-task traffic is plain HTTP inside private subnets, restricted by security groups.
  name        = "${var.name}-tg"
  vpc_id      = var.vpc_id
  target_type = "ip"
  protocol    = "HTTP"
  port        = var.target_port

  protocol_version     = "HTTP1"
  deregistration_delay = var.deregistration_delay

  health_check {
    enabled             = true
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = var.health_check_path
    interval            = var.health_check_interval
    timeout             = var.health_check_timeout
    healthy_threshold   = var.healthy_threshold
    unhealthy_threshold = var.unhealthy_threshold
    matcher             = "200"
  }

  tags = merge(var.tags, { Name = "${var.name}-tg" })
}

# ---------------------------------------------------------------- certificate
resource "aws_acm_certificate" "this" {
  count = local.create_certificate ? 1 : 0

  domain_name       = var.domain_name
  validation_method = "DNS"
  key_algorithm     = "RSA_2048"

  tags = merge(var.tags, { Name = var.domain_name })

  lifecycle {
    create_before_destroy = true
  }
}

# One validation record per certificate name. The keys are the configured names (known at plan
# time), not the certificate's computed validation options.
resource "aws_route53_record" "certificate_validation" {
  for_each = local.create_certificate ? toset([var.domain_name]) : toset([])

  zone_id         = var.route53_zone_id
  name            = one([for o in aws_acm_certificate.this[0].domain_validation_options : o.resource_record_name if o.domain_name == each.key])
  type            = one([for o in aws_acm_certificate.this[0].domain_validation_options : o.resource_record_type if o.domain_name == each.key])
  records         = [one([for o in aws_acm_certificate.this[0].domain_validation_options : o.resource_record_value if o.domain_name == each.key])]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  count = local.create_certificate ? 1 : 0

  certificate_arn         = aws_acm_certificate.this[0].arn
  validation_record_fqdns = [for r in aws_route53_record.certificate_validation : r.fqdn]
}

# ---------------------------------------------------------------- listeners
resource "aws_lb_listener" "http" {
  #checkov:skip=CKV_AWS_2:This listener only answers 301 redirects to HTTPS.
  #checkov:skip=CKV_AWS_103:This listener only answers 301 redirects to HTTPS.
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      protocol    = "HTTPS"
      port        = "443"
      host        = "#{host}"
      path        = "/#{path}"
      query       = "#{query}"
      status_code = "HTTP_301"
    }
  }

  tags = var.tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = local.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.backend.arn
  }

  tags = var.tags
}
