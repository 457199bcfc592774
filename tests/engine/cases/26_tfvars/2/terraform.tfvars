environment    = "staging"
instance_count = 2
tags = {
  owner = "platform"
}
