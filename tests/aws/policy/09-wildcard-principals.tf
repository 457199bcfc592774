# Principals: a lone type "*" with identifier "*" is written "Principal": "*";
# type AWS with "*" stays {"AWS": "*"}; not_principals become NotPrincipal.
data "aws_iam_policy_document" "test" {
  statement {
    sid       = "Public"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::site/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }

  statement {
    sid     = "AnyAccount"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }

  statement {
    sid       = "AllButMe"
    effect    = "Deny"
    actions   = ["s3:DeleteBucket"]
    resources = ["arn:aws:s3:::site"]

    not_principals {
      type = "AWS"
      identifiers = [
        "arn:aws:iam::123456789012:root",
        "arn:aws:iam::123456789012:user/admin",
      ]
    }
  }
}
