name        = "cairn-demo"
environment = "dev"
extra_tags = {
  Owner      = "platform-team"
  CostCenter = "1234"
  Repository = "cairn/examples/vpc"
}
