deep_list = [[[[[[[[[[1]]]]]]]]]]
deep_obj  = { a = { b = { c = { d = { e = { f = "g" } } } } } }
deep_expr = ((((((((1 + 2))))))))
deep_call = a(b(c(d(e(f(g(h(1))))))))
l1 {
  l2 {
    l3 {
      l4 {
        l5 {
          v = true
        }
      }
    }
  }
}
