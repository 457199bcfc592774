locals { one = 1 }
empty {}
labelled "x" {}
with_attr "y" { value = "z" }
spaced "s" {   v = [1, 2]   }
tagged "t" { tags = { Name = "x" } }
