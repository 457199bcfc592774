# version 2008-10-17 and policy_id (Version, Id first); NotAction and
# NotResource; condition tests sorted; <, > and & escaped as Go escapes
# them (\u003c, \u003e, \u0026).
data "aws_iam_policy_document" "test" {
  version   = "2008-10-17"
  policy_id = "Guard"

  statement {
    sid           = "DenyOthers"
    effect        = "Deny"
    not_actions   = ["iam:Get*", "iam:List*", "iam:*Tag*"]
    not_resources = ["arn:aws:iam::123456789012:role/keep"]

    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalTag/team"
      values   = ["a&b", "<ops>"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:RequestedRegion"
      values   = ["eu-west-1"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
