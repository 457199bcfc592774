provider "test" {}

provider "test" {
  alias  = "eu"
  prefix = "eu-"
}

module "us_stack" {
  source = "./modules/stack"
  region = "us"
}

module "eu_stack" {
  source = "./modules/stack"
  region = "eu"

  providers = {
    test = test.eu
  }
}
