# The documentation's assume-role policy with principals of three types:
# types sorted, identifiers of one block reverse sorted, one written bare.
data "aws_iam_policy_document" "test" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::123456789012:role/trusted"]
    }

    principals {
      type = "Federated"
      identifiers = [
        "arn:aws:iam::123456789012:saml-provider/corp",
        "cognito-identity.amazonaws.com",
      ]
    }
  }
}
