# expect: 2:11 Nested splat expression not allowed
a = x.*.y.*
