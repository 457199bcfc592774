# Plain attributes of every literal kind.
name        = "cairn"
count       = 3
enabled     = true
disabled    = false
nothing     = null
ratio       = 0.75
negative    = -42
not_enabled = !true
empty       = ""
