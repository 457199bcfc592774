resource "aws_instance"   "web"{
ami="ami-123"
    instance_type   =    "t2.micro"   # the size
  count=var.n*2+-1
tags={Name="x",Env=   "y"}
list = [ 1,2 , 3 ]
  x = a.b[0].c[*].d
  y = foo( a , b ... )
  z = !var.enabled
  w = var.a==var.b?1:-1
  q = [for x in [1,2]: x*2 if x>1]
  m = {for k,v in var.m: k=>v...}
  s = "${ var.a }-${var.b}%{ if true }x%{endif}"
  h = <<-EOT
    hello ${ var.x }
      world
    EOT
  nested {
  a=1
  bb=2 // c
  }
  one { a = 1 }
  empty {}
  emptyo = {}
  neg = -1
  sub = a - 1
  paren = (a - -b)
  lg = a&&b||!c
  tern = a ? b : c
  colon = { "a" : 1 }
  splat = a.*.b
  legacy = a.0.b
  tmpl = "${{a=1}}"
  tmpl2 = "%{ for x in y ~}${x}%{ endfor ~}"
}

/* block
comment */
variable "v" {type="string"}
x = [
  1,
  2,
]
y = [{
  a = 1
  }, {
  b = 2
}]
