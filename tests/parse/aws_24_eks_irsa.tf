data "tls_certificate" "eks" {
  url = aws_eks_cluster.main.identity[0].oidc[0].issuer
}

resource "aws_iam_openid_connect_provider" "eks" {
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = [data.tls_certificate.eks.certificates[0].sha1_fingerprint]
  url             = aws_eks_cluster.main.identity[0].oidc[0].issuer
}

locals {
  oidc_host = replace(aws_iam_openid_connect_provider.eks.url, "https://", "")
  service_accounts = {
    "kube-system/aws-load-balancer-controller" = "arn:aws:iam::aws:policy/ElasticLoadBalancingFullAccess"
    "kube-system/external-dns"                 = "arn:aws:iam::aws:policy/AmazonRoute53FullAccess"
  }
}

data "aws_iam_policy_document" "irsa" {
  for_each = local.service_accounts

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    effect  = "Allow"

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_host}:sub"
      values   = ["system:serviceaccount:${each.key}"]
    }

    principals {
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
      type        = "Federated"
    }
  }
}

resource "aws_iam_role" "irsa" {
  for_each           = local.service_accounts
  name               = "${local.name}-${split("/", each.key)[1]}"
  assume_role_policy = data.aws_iam_policy_document.irsa[each.key].json
}

resource "aws_iam_role_policy_attachment" "irsa" {
  for_each   = local.service_accounts
  role       = aws_iam_role.irsa[each.key].name
  policy_arn = each.value
}
