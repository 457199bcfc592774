# an object created by hand in the console, outside any configuration
cat >"$TEST_PROVIDER_DIR/tr-00000000000000aa.json" <<'JSON'
{"attributes":{"arn":"arn:test:::resource/tr-00000000000000aa","config":null,"count_value":null,"create_delay":null,"created_at":"2024-05-01T12:00:00Z","delete_delay":null,"enabled":true,"fail_count":null,"fail_on":null,"generation":3,"id":"tr-00000000000000aa","items":null,"labels":null,"name":"legacy-db","name_upper":"LEGACY-DB","replace_me":null,"rule":[],"secret":null,"setting":[],"single":null,"tags":{"owner":"dba"},"update_delay":null},"token":"0000000000000000000000000000abcd","address":"manual"}
JSON
