outer "a" {
  x = 1
  inner {
    y = 2
    innermost "deep" {
      z = 3
    }
  }
  inner {
    y = 4
  }
  other "l1" "l2" {
    w = true
  }
}
outer "b" {
  x = 5
}
