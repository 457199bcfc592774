# A source document written as JSON: its Id is kept, its Action lists keep
# their order (only the configuration's sets are sorted), "Principal": "*"
# stays "*", principal lists come out reverse sorted, a bool condition
# value becomes the string "true".
data "aws_iam_policy_document" "test" {
  source_policy_documents = [jsonencode({
    Version = "2012-10-17"
    Id      = "FromSource"
    Statement = [
      {
        Sid       = "Anyone"
        Effect    = "Allow"
        Action    = ["s3:GetObject", "s3:ListBucket"]
        Resource  = "*"
        Principal = "*"
      },
      {
        Effect = "Allow"
        Action = "sts:AssumeRole"
        Principal = {
          AWS     = ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"]
          Service = "ec2.amazonaws.com"
        }
        Condition = {
          Bool = { "aws:MultiFactorAuthPresent" = true }
        }
      },
    ]
  })]

  statement {
    sid       = "Own"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
