# The Terraform documentation's basic example: a Sid, a two-action set
# (reverse sorted), one-element sets as bare strings, condition values in
# their order, &{...} written ${...}, no Sid where none is set.
data "aws_iam_policy_document" "test" {
  statement {
    sid = "1"

    actions = [
      "s3:ListAllMyBuckets",
      "s3:GetBucketLocation",
    ]

    resources = [
      "arn:aws:s3:::*",
    ]
  }

  statement {
    actions = [
      "s3:ListBucket",
    ]

    resources = [
      "arn:aws:s3:::mybucket",
    ]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"

      values = [
        "",
        "home/",
        "home/&{aws:username}/",
      ]
    }
  }

  statement {
    actions = [
      "s3:*",
    ]

    resources = [
      "arn:aws:s3:::mybucket/home/&{aws:username}",
      "arn:aws:s3:::mybucket/home/&{aws:username}/*",
    ]
  }
}
