variable "zone_id" {
  description = "ID of the Route 53 public hosted zone that holds record_name (for example the bet2wealth.co zone)."
  type        = string

  validation {
    condition     = can(regex("^[A-Z0-9]{1,32}$", var.zone_id))
    error_message = "zone_id must be a Route 53 hosted zone ID (upper-case letters and digits, e.g. Z0123456789ABCDEFGHIJ; AWS does not promise the leading Z)."
  }
}

variable "record_name" {
  description = "Fully qualified name of the API, e.g. api.dev.bet2wealth.co."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,}$", var.record_name))
    error_message = "record_name must be a lowercase fully qualified host name such as api.dev.bet2wealth.co."
  }
}

variable "alb_dns_name" {
  description = "DNS name of the load balancer the alias records point to."
  type        = string
}

variable "alb_zone_id" {
  description = "Canonical hosted zone ID of the load balancer."
  type        = string
}

variable "create_aaaa_record" {
  description = "Also create an AAAA alias (useful only when the ALB is dual-stack)."
  type        = bool
  default     = true
}

variable "evaluate_target_health" {
  description = "Let Route 53 evaluate the ALB's health for the alias records."
  type        = bool
  default     = true
}
