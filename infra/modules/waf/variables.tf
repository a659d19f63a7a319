variable "name" {
  description = "Name of the web ACL and prefix of its metrics, e.g. bet2wealth-backend-dev."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,128}$", var.name))
    error_message = "name must be 1-128 letters, digits, hyphens or underscores."
  }
}

variable "alb_arn" {
  description = "ARN of the application load balancer the web ACL protects."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:loadbalancer/app/", var.alb_arn))
    error_message = "alb_arn must be an application load balancer ARN."
  }
}

variable "exempt_paths" {
  description = "Exact URI paths left out of the body-size rule and the per-IP rate limit (still inspected by every other managed rule): callbacks whose size and rate a provider decides, such as the Paystack webhook."
  type        = list(string)

  validation {
    condition     = length(var.exempt_paths) >= 1 && length(var.exempt_paths) <= 5 && alltrue([for p in var.exempt_paths : can(regex("^/[A-Za-z0-9/_.-]+$", p))])
    error_message = "exempt_paths must list 1 to 5 exact paths starting with / (no wildcards, no query)."
  }
}

variable "rate_limit_per_5_minutes" {
  description = "Requests one client IP may send in 5 minutes before the ALB's WAF blocks it (the service's own per-client limits still apply below this)."
  type        = number
  default     = 2000

  validation {
    condition     = var.rate_limit_per_5_minutes >= 10 && var.rate_limit_per_5_minutes <= 2000000000
    error_message = "rate_limit_per_5_minutes must be between 10 and 2,000,000,000 (the WAF limits)."
  }
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}
