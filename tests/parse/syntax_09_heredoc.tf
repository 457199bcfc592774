plain = <<EOT
Hello,
  indented line
World
EOT

indented_marker = <<EOT
text
    EOT

empty_lines = <<EOF
first

third
EOF

custom_delim = <<POLICY_DOC
{"Version": "2012-10-17"}
POLICY_DOC

backslashes = <<EOT
C:\path\to\file \n stays literal
EOT
