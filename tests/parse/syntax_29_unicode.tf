greeting = "héllo wörld"
emoji    = "🚀 launch"
cjk      = "日本語"
tags = {
  "Ünïcode key" = "välue"
}
