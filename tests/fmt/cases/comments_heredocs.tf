# Leading comment
// another style
/* block
   comment spanning lines */

locals {
  a = 1   # short
  bbbbbb = 2 # long name
  c = "x" // slash comment
    /* inline */ d = 4

  script = <<EOT
#!/bin/sh
  echo "${var.name}"   
    %{ for s in var.list ~}
    ${ s }
    %{ endfor ~}
EOT
  indented = <<-EOF
      keep    these   spaces
      EOF
  after = 3
}

resource "x" "y" {
  list = [
  1,   # one
      2, # two
  ]
  nested = {
  a = {
  b = [for i in range(3): i*2]
  }
  }
  cond = (
  var.a
  ? 1
  : 2
  )
  m = {
    "quoted key" = 1
    unq = 2
    (var.k) = 3
  }
}

output "o" {value="${var.x}"}
variable "legacy" {
  type = "map"
  default = {}
}
