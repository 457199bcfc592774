a = 1
b = "two"
block "x" {
  c = [1, 2]
}
h = <<EOT
line
EOT
