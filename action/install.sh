#!/usr/bin/env bash
# action.yml's install step: dependencies and the build, once per checkout of the action.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f dist/bundle/cli.js ] || [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
