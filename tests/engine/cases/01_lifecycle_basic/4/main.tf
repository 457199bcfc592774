# everything removed: the instance is an orphan and is destroyed
