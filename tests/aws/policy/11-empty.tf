# No statement and no document: only the Version (Statement is left out).
data "aws_iam_policy_document" "test" {}
