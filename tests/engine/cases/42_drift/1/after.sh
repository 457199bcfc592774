# someone retagged the topic in the console
cd "$TEST_PROVIDER_DIR"
for f in tr-*.json; do
  if [ "$(jq -r .attributes.name "$f")" = events ]; then
    jq -c '.attributes.tags.team = "analytics"' "$f" >tmp.edit && mv tmp.edit "$f"
  fi
done
