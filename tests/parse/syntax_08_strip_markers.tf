strip_both   = "  ${~ var.x ~}  "
strip_left   = "a   ${~ var.x}   b"
strip_right  = "a   ${var.x ~}   b"
directive    = "%{ if var.x ~}  yes  %{~ else ~}  no  %{~ endif ~}"
for_strip    = "%{ for v in var.l ~} ${v} %{~ endfor }"
heredoc_strip = <<EOT
line one
  %{~ if var.x ~}
  middle
  %{~ endif ~}
line two
EOT
