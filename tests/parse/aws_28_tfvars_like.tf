region      = "eu-west-1"
environment = "staging"
vpc_cidr    = "10.42.0.0/16"
az_count    = 2

node_groups = {
  general = {
    instance_types = ["m6i.large", "m6a.large"]
    min_size       = 1
    max_size       = 5
    desired_size   = 2
  }
  spot = {
    instance_types = ["c6i.xlarge", "c6a.xlarge", "c5.xlarge"]
    capacity_type  = "SPOT"
    min_size       = 0
    max_size       = 20
    desired_size   = 0
    labels = {
      lifecycle = "spot"
    }
  }
}

alert_emails = [
  "oncall@example.com",
  "platform@example.com",
]

admin_cidrs = ["203.0.113.0/24"]
