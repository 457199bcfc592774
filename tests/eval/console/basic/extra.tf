locals {
  count_plus = local.doubled + 1
}
