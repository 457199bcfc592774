empty   = {}
equals  = { a = 1, b = 2 }
colons  = { a: 1, b: 2 }
quoted  = { "key with spaces" = 1, "k2" = "v" }
mixed   = { a = 1, "b": 2 }
multi = {
  first  = "1"
  second = "2"
  third  = {
    nested = true
  }
}
commas_and_newlines = {
  a = 1,
  b = 2,
}
expr_keys = {
  (var.key)      = "parenthesised"
  "${var.k2}"    = "template key"
  "plain-${"x"}" = 3
}
traversal_key = { var.key = "trav" }
number_key    = { 1 = "one" }
keyword_keys  = { true = 1, null = 2, for = 3, if = 4 }
dup_keys      = { a = 1, a = 2 }
