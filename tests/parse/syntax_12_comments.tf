# hash comment
// slash comment
/* block comment */
/*
 * multi-line block comment
 */
a = 1 # trailing hash
b = 2 // trailing slash
c = /* inline */ 3
d = [
  1, # first
  2, // second
  /* third */ 3,
]
e = {
  # comment in object
  x = 1 // after
}
block "x" { # comment after brace
  // inside
  y = 2
} # after block
