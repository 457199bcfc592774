resource "test_resource" "lb" {
  name = "public-lb"

  single {
    x = "primary"
  }
}
