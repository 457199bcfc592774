script = <<-EOT
    #!/bin/bash
    echo "hello"
      indented more
    done
    EOT

blank_lines = <<-EOT
    first

    third
  EOT

interp = <<-EOT
    name: ${var.name}
    ${var.key}: value
    EOT

with_tabs = <<-EOT
	tabbed
	  tabbed more
	EOT

uneven = <<-EOT
      six
    four
        eight
EOT
