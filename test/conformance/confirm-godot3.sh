#!/usr/bin/env bash
# Runs every conformance program marked "godot3-compatible" on godot3-server (Godot 3.2.3) and
# compares its stdout with NAME.out. Needs `apt-get install godot3-server`. Not part of `npm test`.
set -uo pipefail
cd "$(dirname "$0")"
status=0
for f in $(grep -l '^# godot3-compatible' *.gd); do
  name="${f%.gd}"
  # Godot 3 prints its banner and a blank line first.
  out=$(LANG=en_US.UTF-8 HOME=$(mktemp -d) timeout 20 godot3-server --no-window -s "$PWD/$f" 2>/dev/null | tail -n +3)
  if diff <(printf '%s\n' "$out") "$name.out" >/dev/null; then
    echo "same as Godot 3.2.3: $f"
  else
    echo "DIFFERENT from Godot 3.2.3: $f"
    diff <(printf '%s\n' "$out") "$name.out"
    status=1
  fi
done
exit $status
