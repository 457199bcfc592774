a = "${x}"
variable "v" { type = "list" }
