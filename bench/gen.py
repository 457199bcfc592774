#!/usr/bin/env python3
"""Generate a large Terraform-style configuration for cairn's parse+eval benchmark.

Usage: gen.py OUTDIR [RESOURCES]   (default 10000 resources, about 100,000 lines)

The output is deterministic (no randomness) so runs are comparable.  It is
split into one file of variables, one of locals, and files of 100 resources
each, with the mix a real estate has: VPC networking, instances, security
groups, S3 buckets and IAM roles, with references between resources, for
expressions, conditionals, templates and function calls.
"""
import os
import sys

PER_FILE = 100


def variables(n):
    out = []
    for i in range(n):
        out.append(f'''variable "setting_{i}" {{
  description = "Tunable setting number {i}."
  type        = string
  default     = "value-{i}"
}}
''')
    out.append('''variable "cidr_base" {
  type    = string
  default = "10.0.0.0/8"
}

variable "instance_types" {
  type = map(string)
  default = {
    small  = "t3.small"
    medium = "t3.medium"
    large  = "m5.large"
  }
}

variable "environment" {
  type    = string
  default = "bench"
}
''')
    return "\n".join(out)


def locals_block(nvars):
    lines = ["locals {",
             '  name_prefix = "${var.environment}-cairn"',
             "  common_tags = {",
             '    Environment = var.environment',
             '    ManagedBy   = "cairn"',
             '    Prefix      = "bench"',
             "  }",
             "  zones = [\"us-east-1a\", \"us-east-1b\", \"us-east-1c\"]",
             "  settings = {"]
    for i in range(nvars):
        lines.append(f"    s{i:02d} = upper(var.setting_{i})")
    lines += ["  }",
              "  subnet_cidrs  = [for i in range(64) : cidrsubnet(var.cidr_base, 8, i)]",
              "  zone_index    = { for i, z in local.zones : z => i }",
              "  setting_names = [for k, v in local.settings : \"${k}=${lower(v)}\" if length(v) > 3]",
              "}",
              ""]
    return "\n".join(lines)


def resource(i):
    kind = i % 5
    sub = i % 64
    prev = i - 5 if i >= 5 else None
    if kind == 0:
        return f'''resource "aws_vpc" "r{i}" {{
  cidr_block           = local.subnet_cidrs[{sub}]
  enable_dns_support   = true
  enable_dns_hostnames = {str(i % 2 == 0).lower()}

  tags = merge(local.common_tags, {{
    Name = "${{local.name_prefix}}-vpc-{i}"
  }})
}}
'''
    if kind == 1:
        return f'''resource "aws_subnet" "r{i}" {{
  count             = 3
  vpc_id            = aws_vpc.r{i - 1}.id
  cidr_block        = cidrsubnet(aws_vpc.r{i - 1}.cidr_block, 4, count.index)
  availability_zone = element(local.zones, count.index)

  tags = merge(local.common_tags, {{
    Name = format("%s-subnet-%d-%d", local.name_prefix, {i}, count.index)
  }})
}}
'''
    if kind == 2:
        return f'''resource "aws_security_group" "r{i}" {{
  name        = "${{local.name_prefix}}-sg-{i}"
  description = "Security group {i} for ${{var.setting_{i % 50}}}"
  vpc_id      = aws_vpc.r{i - 2}.id

  ingress {{
    from_port   = {1000 + i % 1000}
    to_port     = {1000 + i % 1000} + 10
    protocol    = "tcp"
    cidr_blocks = [for s in aws_subnet.r{i - 1} : s.cidr_block]
  }}
}}
'''
    if kind == 3:
        size = ["small", "medium", "large"][i % 3]
        return f'''resource "aws_instance" "r{i}" {{
  ami                    = "ami-{i:08x}"
  instance_type          = var.instance_types["{size}"]
  subnet_id              = aws_subnet.r{i - 2}[{i % 3}].id
  vpc_security_group_ids = [aws_security_group.r{i - 1}.id]
  monitoring             = var.environment == "prod" ? true : false
  user_data              = base64encode("#!/bin/sh\\necho instance {i} > /tmp/id\\n")
  tags                   = merge(local.common_tags, {{ Name = "${{local.name_prefix}}-i{i}" }})
}}
'''
    dep = f"aws_instance.r{prev - 1}.id" if prev is not None and prev >= 4 else '"none"'
    return f'''resource "aws_s3_bucket" "r{i}" {{
  bucket        = lower("${{local.name_prefix}}-bucket-{i}")
  force_destroy = length(local.zones) > 2 && !false
  tags = {{
    for k, v in local.common_tags : k => "${{v}}-{i}"
  }}
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = {dep} }}]
  }})
}}
'''


def main():
    if len(sys.argv) < 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    outdir = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    nvars = 50
    os.makedirs(outdir, exist_ok=True)
    for f in os.listdir(outdir):
        if f.endswith(".tf"):
            os.remove(os.path.join(outdir, f))
    with open(os.path.join(outdir, "variables.tf"), "w") as f:
        f.write(variables(nvars))
    with open(os.path.join(outdir, "locals.tf"), "w") as f:
        f.write(locals_block(nvars))
    for start in range(0, n, PER_FILE):
        with open(os.path.join(outdir, f"res_{start // PER_FILE:04d}.tf"), "w") as f:
            f.write("\n".join(resource(i) for i in range(start, min(n, start + PER_FILE))))


if __name__ == "__main__":
    main()
