terraform {
  required_version = ">= 1.5"
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

bare_label foo {
  a = 1
}

mixed "quoted" bare {
  b = 2
}

three "a" "b" "c" {
  c = 3
}

empty "x" {
}
