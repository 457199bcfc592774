resource aws_instance web {
  ami = data.aws_ami.ubuntu.id
	instance_type	=	"t3.micro"
  tags = merge(local.tags, {
    Name = "web"
  }, {
  Extra = "x" })
  ébc = "unicode key"
  a = 1
  nested_list = [[1, 2], [3, [4, 5]]]
  calls = foo(bar(1), baz([1, 2]), { a = 1 })
  multi_args = join(",",
    var.list,
  )
  neg_after_paren = (a) - 1
  neg_after_call = f(x) -1
  neg_index = a[0] - -a[1]
  not_paren = !(a || b)
  for_in_bracket = [for x in[1, 2] : x]
  cond_tmpl = "${a ? "x" : "y"}"
  nested_quotes = "${join(",", ["a", "b"])}"
  tuple_trailing = [
    "a",
    "b", # comment b
    # lone comment
    "c",
  ]
  obj_newlines = {
    a : 1
    "b" : 2
    c = 3
  }
  for_multi = [
    for x in var.list : upper(x)
    if x != ""
  ]
  objfor = {
    for k, v in var.map :
    k => v
  }
  directive_heredoc = <<EOT
%{ if var.enabled ~}
enabled ${ var.name }
%{ else }
disabled
%{ endif }
EOT
  after_heredoc = true
  splat_idx = aws_instance.web[*].private_ip[0]
  math = (1 + 2) * -3 / 4 % 5
  cmp = 1 < 2 && 2 <= 3 && 3 > 2 && 3 >= 3
  str_esc = "tab\there \"quoted\" \\ back $${literal} %%{literal}"
  num = 1.5e-3
  provider_fn = can(regex("^a", "abc")) ? 1 : 0
}

/* multi-line
      block comment keeps its inner indentation */
locals { x = 1 }
locals {
  deep = { a = { b = { c = [1, 2, { d = 3 }] } } }
  mixed = [{ a = 1 }, { b = [
    1,
    2,
  ] }]
}
