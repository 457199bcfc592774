attr      = var.config.name
deep      = module.network.outputs.vpc.id
index     = var.list[0]
str_index = var.map["key"]
expr_idx  = var.list[count.index]
mixed     = aws_instance.web[0].private_ip
legacy    = aws_instance.web.0.id
chain     = data.aws_iam_policy_document.assume.json
each_val  = each.value.cidr
self_ref  = self.private_ip
call_attr = element(var.list, 0).name
call_idx  = split(",", var.csv)[1]
tuple_idx = [1, 2, 3][1]
obj_attr  = { a = 1 }.a
paren_idx = (var.x)[0]
