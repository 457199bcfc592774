# someone deleted the queue in the console and retagged the topic
cd "$TEST_PROVIDER_DIR"
for f in tr-*.json; do
  case $(jq -r .attributes.name "$f") in
    jobs) rm "$f" ;;
    events) jq -c '.attributes.tags.team = "analytics"' "$f" >tmp.edit && mv tmp.edit "$f" ;;
  esac
done
