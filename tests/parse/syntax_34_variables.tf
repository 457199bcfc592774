variable "environment" {
  type        = string
  description = "Deployment environment"
  default     = "dev"

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "Environment must be dev, staging or prod."
  }
}

variable "settings" {
  type = object({
    size     = number
    enabled  = optional(bool, true)
    tags     = map(string)
    subnets  = list(object({ cidr = string, az = string }))
  })
}

variable "secret" {
  type      = string
  sensitive = true
  nullable  = false
}
