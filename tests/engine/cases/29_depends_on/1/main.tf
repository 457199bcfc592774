resource "test_resource" "network" {
  name = "network"
}

resource "test_resource" "iam_role" {
  name = "deploy-role"
}

resource "test_resource" "cluster" {
  name = "cluster"

  depends_on = [
    test_resource.network,
    test_resource.iam_role,
  ]
}

module "service" {
  source = "./modules/service"
  name   = "billing"

  depends_on = [test_resource.cluster]
}
