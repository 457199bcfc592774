# An override document's Id replaces policy_id and its greater Version
# wins; its statement replaces the one with the same Sid, NotResource in
# the document's own order.
data "aws_iam_policy_document" "test" {
  version   = "2008-10-17"
  policy_id = "Mine"
  override_policy_documents = [jsonencode({
    Version = "2012-10-17"
    Id      = "Theirs"
    Statement = [{
      Sid         = "B"
      Effect      = "Deny"
      NotAction   = "iam:*"
      NotResource = ["arn:aws:iam::*:role/x", "arn:aws:iam::*:role/a"]
    }]
  })]

  statement {
    sid       = "A"
    actions   = ["ec2:Describe*"]
    resources = ["*"]
  }

  statement {
    sid       = "B"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
}
