# expect: 2:11 Unexpected endif directive
a = "text %{endif}"
