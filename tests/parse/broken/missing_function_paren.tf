# expect: 2:29 Missing open parenthesis
a = provider::aws::arn_parse
