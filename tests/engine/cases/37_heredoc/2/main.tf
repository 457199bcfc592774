variable "hostname" {
  type    = string
  default = "bastion"
}

variable "admins" {
  type    = list(string)
  default = ["alice", "carol"]
}

resource "test_resource" "motd" {
  name = <<-EOT
    Welcome to ${var.hostname}.
    Administrators:
    %{for admin in var.admins~}
      - ${admin}
    %{endfor~}
    Unauthorized access is prohibited.
  EOT
}
