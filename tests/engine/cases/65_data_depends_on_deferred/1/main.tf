resource "test_resource" "network" {
  name = "network"
}

resource "test_resource" "cluster" {
  name  = "cluster"
  items = ["v1"]
}

data "test_data" "cluster_info" {
  input = "cluster"

  depends_on = [test_resource.cluster]
}

output "cluster_info" {
  value = data.test_data.cluster_info.result
}
