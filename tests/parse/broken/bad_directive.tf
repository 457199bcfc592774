# expect: 2:8 Invalid template control keyword
a = "%{while x}y%{endwhile}"
