variable "name" {
  description = "Name prefix for every resource, e.g. bet2wealth-backend-dev. Also the VPC's Name tag."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}[a-z0-9]$", var.name))
    error_message = "name must be 3-42 characters of lowercase letters, digits and hyphens, starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 24
    error_message = "vpc_cidr must be a valid IPv4 CIDR block of /24 or larger."
  }
}

variable "azs" {
  description = "Availability zones, one per public/private subnet pair (index i of each subnet list goes to azs[i])."
  type        = list(string)
  default     = ["eu-central-1a", "eu-central-1b"]

  validation {
    condition     = length(var.azs) >= 2 && length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must list at least two distinct availability zones (the ALB, Redis and RDS Multi-AZ need two)."
  }
}

variable "public_subnet_cidrs" {
  description = "IPv4 CIDR blocks of the public subnets (ALB, NAT gateways), one per AZ."
  type        = list(string)
  default     = ["10.0.1.0/24", "10.0.2.0/24"]

  validation {
    condition     = alltrue([for c in var.public_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "Every public_subnet_cidrs entry must be a valid IPv4 CIDR block."
  }
}

variable "private_subnet_cidrs" {
  description = "IPv4 CIDR blocks of the private subnets (ECS tasks, Redis, RDS), one per AZ."
  type        = list(string)
  default     = ["10.0.11.0/24", "10.0.12.0/24"]

  validation {
    condition     = alltrue([for c in var.private_subnet_cidrs : can(cidrhost(c, 0))])
    error_message = "Every private_subnet_cidrs entry must be a valid IPv4 CIDR block."
  }

  validation {
    condition     = length(var.private_subnet_cidrs) == length(var.public_subnet_cidrs) && length(var.private_subnet_cidrs) == length(var.azs)
    error_message = "azs, public_subnet_cidrs and private_subnet_cidrs must have the same length (one subnet of each kind per AZ)."
  }
}

variable "one_nat_gateway_per_az" {
  description = "false (default, as in the architecture diagram): one NAT gateway shared by all private subnets, cheaper but a single-AZ dependency for egress. true: one NAT gateway per AZ, each private route table uses the NAT in its own AZ."
  type        = bool
  default     = false
}

variable "enable_ipv6" {
  description = "Assign an Amazon-provided IPv6 /56 to the VPC and a /64 to each public subnet, so a dual-stack ALB can serve AAAA records. Private subnets stay IPv4-only."
  type        = bool
  default     = true
}

variable "enable_flow_logs" {
  description = "Capture VPC flow logs into a CloudWatch log group."
  type        = bool
  default     = false
}

variable "flow_logs_traffic_type" {
  description = "Traffic captured by the flow log: ACCEPT, REJECT or ALL."
  type        = string
  default     = "ALL"

  validation {
    condition     = contains(["ACCEPT", "REJECT", "ALL"], var.flow_logs_traffic_type)
    error_message = "flow_logs_traffic_type must be ACCEPT, REJECT or ALL."
  }
}

variable "flow_logs_retention_days" {
  description = "Retention of the flow-log log group, in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_logs_retention_days)
    error_message = "flow_logs_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "log_kms_key_arn" {
  description = "Optional customer-managed KMS key ARN for the flow-log log group. null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null

  validation {
    condition     = var.log_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be a KMS key ARN or null."
  }
}

variable "tags" {
  description = "Tags added to every resource of this module."
  type        = map(string)
  default     = {}
}

variable "enable_s3_gateway_endpoint" {
  description = "Add a (free) S3 gateway endpoint to the private route tables, so ECR image layers (stored in S3) do not pass through the NAT gateway and its per-GB charge."
  type        = bool
  default     = true
}
