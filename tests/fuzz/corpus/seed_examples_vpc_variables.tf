variable "region" {
  description = "AWS region to deploy the network into."
  type        = string
  default     = "us-east-1"
}

variable "name" {
  description = "Name prefix for every resource in this network."
  type        = string
  default     = "cairn-demo"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "The name must be 3-31 lowercase letters, digits or dashes."
  }
}

variable "environment" {
  description = "Deployment environment (dev, staging or prod)."
  type        = string
  default     = "dev"
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC."
  type        = string
  default     = "10.20.0.0/16"
}

variable "availability_zones" {
  description = "Availability zones to spread subnets over; empty means the first az_count of the region."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

variable "az_count" {
  description = "How many availability zones to use when availability_zones is empty."
  type        = number
  default     = 3
}

variable "single_nat_gateway" {
  description = "Use one shared NAT gateway instead of one per availability zone."
  type        = bool
  default     = false
}

variable "ssh_allowed_cidrs" {
  description = "CIDR blocks allowed to reach the bastion over SSH."
  type        = list(string)
  default     = ["203.0.113.0/24"]
}

variable "app_port" {
  description = "Port the application listens on."
  type        = number
  default     = 8080
}

variable "extra_tags" {
  description = "Additional tags merged into every resource."
  type        = map(string)
  default = {
    Owner      = "platform-team"
    CostCenter = "1234"
  }
}
