#!/usr/bin/env bash
# action.yml's check step. The inputs arrive as INPUT_* environment variables; paths one per
# line. Patterns reach imgguard as written (it expands globs itself), so the shell expands nothing.
set -euo pipefail
set -f
args=(check --reporter "${INPUT_REPORTER:-github}")
if [ -n "${INPUT_BUDGET:-}" ]; then args+=(--budget "$INPUT_BUDGET"); fi
if [ -n "${INPUT_FAIL_ON:-}" ]; then args+=(--fail-on "$INPUT_FAIL_ON"); fi
if [ -n "${INPUT_OUTPUT:-}" ]; then args+=(--output "$INPUT_OUTPUT"); fi
paths=()
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  if [ -n "$line" ]; then paths+=("$line"); fi
done <<<"${INPUT_PATHS:-.}"
if [ "${#paths[@]}" -eq 0 ]; then paths=(.); fi
exec node "$(dirname "$0")/../bin/imgguard.js" "${args[@]}" -- "${paths[@]}"
