# expect: 4:1 Argument or block definition required
a {
}
}
