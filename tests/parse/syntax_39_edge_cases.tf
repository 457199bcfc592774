keyword_attr = b.for
multiline_interp = "${
  x
}"
heredoc_in_tuple = [<<EOT
a
EOT
, 1]
heredoc_in_interp = <<EOT
${<<EOX
inner
EOX
}
EOT
call_index = f(1)[0]
oneline { a = 1 } # comment
resource "a\"b" "c\u0041" {
}
foo-bar = 1
object_trailing = { a = 1, }
for_if_newline = [for x in y : x
if x]
object_mixed_seps = {
  a = 1,
  b = 2
  c = 3,
}
splat_then_index = x[*][0]
attr_splat_then_index = x.*[0]
not_neg = !-1
neg_not = -!true
plus_neg = 1 + -2
lone_signs = ["$", "%", "a$b", "a%b"]
after_empty = {a = 1}
empty_block_after {
}
empty_tuple_multiline = [
]
expand_multiline = f(
  a,
  b...
)
for_no_space = {for k, v in m: k => v}
index_after_call = tomap({a=1})["a"]
blank_lines_in_block {
  a = 1


  b = 2
}
cond_chain = true ? 1 : 2 ? 3 : 4
legacy_after_index = x[0].1
provider_function = provider::aws::arn_parse("arn:aws:iam::123456789012:root")
