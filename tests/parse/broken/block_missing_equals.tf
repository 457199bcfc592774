# expect: 2:10 Argument or block definition required
locals { b }
