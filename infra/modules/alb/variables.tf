variable "name" {
  description = "Name of the load balancer and prefix of its target group and security group, e.g. bet2wealth-backend-dev (at most 29 characters: ALB and target group names are limited to 32)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,27}[a-zA-Z0-9]$", var.name))
    error_message = "name must be 2-29 characters of letters, digits and hyphens, not starting or ending with a hyphen."
  }
}

variable "vpc_id" {
  description = "ID of the VPC the ALB and its target group live in."
  type        = string

  validation {
    condition     = can(regex("^vpc-", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC: the ALB's only egress is to targets in this range on target_port."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be a valid IPv4 CIDR block."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets (at least two AZs) the internet-facing ALB is placed in."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "An ALB needs subnets in at least two availability zones."
  }
}

variable "ip_address_type" {
  description = "ipv4, or dualstack to also serve IPv6 (needs IPv6 CIDRs on the public subnets; required for a useful AAAA record)."
  type        = string
  default     = "dualstack"

  validation {
    condition     = contains(["ipv4", "dualstack"], var.ip_address_type)
    error_message = "ip_address_type must be ipv4 or dualstack."
  }
}

variable "ingress_ipv4_cidrs" {
  description = "IPv4 ranges allowed to reach the listeners on 80 and 443."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for c in var.ingress_ipv4_cidrs : can(cidrhost(c, 0))])
    error_message = "Every ingress_ipv4_cidrs entry must be a valid IPv4 CIDR block."
  }
}

variable "ingress_ipv6_cidrs" {
  description = "IPv6 ranges allowed to reach the listeners on 80 and 443 (used only when ip_address_type is dualstack)."
  type        = list(string)
  default     = ["::/0"]

  validation {
    condition     = alltrue([for c in var.ingress_ipv6_cidrs : can(cidrhost(c, 0))])
    error_message = "Every ingress_ipv6_cidrs entry must be a valid IPv6 CIDR block."
  }
}

variable "domain_name" {
  description = "Host name the certificate is issued for when the module creates it, e.g. api.dev.bet2wealth.co."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase fully qualified host name such as api.dev.bet2wealth.co."
  }
}

variable "certificate_arn" {
  description = "ARN of an existing ACM certificate (same region) for the HTTPS listener. null: the module requests a certificate for domain_name and validates it by DNS in route53_zone_id."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN or null."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone used to DNS-validate the certificate the module creates. Required when certificate_arn is null."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn != null || var.route53_zone_id != null
    error_message = "Set certificate_arn, or route53_zone_id so that the module can create and DNS-validate a certificate."
  }
}

variable "ssl_policy" {
  description = "TLS policy of the HTTPS listener. Only TLS 1.3 + 1.2 policies are accepted."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-TLS13-1-[23]-", var.ssl_policy))
    error_message = "ssl_policy must be an ELBSecurityPolicy-TLS13-1-2-* or -TLS13-1-3-* policy (TLS 1.2 minimum, TLS 1.3 enabled)."
  }
}

variable "target_port" {
  description = "Port the backend containers listen on (target group port)."
  type        = number
  default     = 4000

  validation {
    condition     = var.target_port >= 1 && var.target_port <= 65535
    error_message = "target_port must be between 1 and 65535."
  }
}

variable "health_check_path" {
  description = "HTTP path the ALB probes on each target; must answer 200 when healthy."
  type        = string
  default     = "/api/v1/health-check"

  validation {
    condition     = can(regex("^/[^\\s]*$", var.health_check_path))
    error_message = "health_check_path must start with / and contain no spaces."
  }
}

variable "health_check_interval" {
  description = "Seconds between health checks of one target."
  type        = number
  default     = 15

  validation {
    condition     = var.health_check_interval >= 5 && var.health_check_interval <= 300
    error_message = "health_check_interval must be between 5 and 300 seconds."
  }
}

variable "health_check_timeout" {
  description = "Seconds without a response after which one health check fails. Must be shorter than the interval."
  type        = number
  default     = 5

  validation {
    condition     = var.health_check_timeout >= 2 && var.health_check_timeout <= 120 && var.health_check_timeout < var.health_check_interval
    error_message = "health_check_timeout must be between 2 and 120 seconds and shorter than health_check_interval."
  }
}

variable "healthy_threshold" {
  description = "Consecutive successful checks before a target is healthy."
  type        = number
  default     = 2

  validation {
    condition     = var.healthy_threshold >= 2 && var.healthy_threshold <= 10
    error_message = "healthy_threshold must be between 2 and 10."
  }
}

variable "unhealthy_threshold" {
  description = "Consecutive failed checks before a target is unhealthy."
  type        = number
  default     = 3

  validation {
    condition     = var.unhealthy_threshold >= 2 && var.unhealthy_threshold <= 10
    error_message = "unhealthy_threshold must be between 2 and 10."
  }
}

variable "deregistration_delay" {
  description = "Seconds the ALB keeps draining in-flight requests of a deregistering target. The service drains about 5 s after SIGTERM and exits within 25 s, so 30 s covers it."
  type        = number
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "deregistration_delay must be between 0 and 3600 seconds."
  }
}

variable "idle_timeout" {
  description = "ALB idle connection timeout in seconds; the service's keep-alive timeout (65 s) is longer on purpose."
  type        = number
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 4000
    error_message = "idle_timeout must be between 1 and 4000 seconds."
  }
}

variable "enable_deletion_protection" {
  description = "Protect the ALB against deletion (turn on in production)."
  type        = bool
  default     = false
}

variable "access_logs_enabled" {
  description = "Write ALB access logs to a bucket this module creates (<name>-alb-logs-<account>)."
  type        = bool
  default     = true
}

variable "access_logs_retention_days" {
  description = "Days the access logs are kept before they expire."
  type        = number
  default     = 90

  validation {
    condition     = var.access_logs_retention_days >= 1 && floor(var.access_logs_retention_days) == var.access_logs_retention_days
    error_message = "access_logs_retention_days must be a whole number of days, at least 1."
  }
}

variable "access_logs_force_destroy" {
  description = "Let terraform destroy delete the access-log bucket with its objects (dev); false keeps them (production)."
  type        = bool
  default     = false
}

variable "access_logs_prefix" {
  description = "Key prefix of the access logs in access_logs_bucket."
  type        = string
  default     = "alb"

  validation {
    condition     = !startswith(var.access_logs_prefix, "/") && !endswith(var.access_logs_prefix, "/")
    error_message = "access_logs_prefix must not start or end with a slash."
  }
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
