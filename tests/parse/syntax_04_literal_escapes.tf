# $${ and %%{ produce a literal ${ and %{.
dollar       = "$${not_interpolated}"
percent      = "%%{not_a_directive}"
lone_dollar  = "costs $5"
lone_percent = "100% sure"
double       = "$$ and %%"
mixed        = "${var.a} then $${b} and %%{c}"
heredoc      = <<EOT
literal $${x} and %%{y}
EOT
