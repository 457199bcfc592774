user_data = <<EOT
#!/bin/bash
%{ for pkg in var.packages ~}
yum install -y ${pkg}
%{ endfor ~}
%{ if var.reboot }
reboot
%{ else }
echo done
%{ endif }
EOT

config = <<-YAML
  cluster: ${var.cluster_name}
  endpoint: ${aws_eks_cluster.main.endpoint}
  %{~ if var.debug ~}
  debug: true
  %{~ endif ~}
  YAML
