terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.5"
    }
  }

  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "prod/network/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Environment = var.environment
      ManagedBy   = "cairn"
      Project     = var.project
    }
  }

  assume_role {
    role_arn     = "arn:aws:iam::${var.account_id}:role/deployer"
    session_name = "cairn-${var.environment}"
  }
}

provider "aws" {
  alias  = "us_west_2"
  region = "us-west-2"
}
