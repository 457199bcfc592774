# expect: 3:1 Unexpected endfor directive
a = <<EOT
%{endfor}
EOT
