environment    = "prod"
instance_count = 3
