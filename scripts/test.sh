#!/usr/bin/env bash
# The whole test suite: system tools, type check, lint, then every test (unit, integration, end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
echo "== typecheck"; npx --no-install tsc -p tsconfig.json --noEmit
echo "== lint"; npx --no-install eslint --max-warnings 0 .
echo "== tests"; node --test --test-concurrency=2 --test-timeout=180000 'test/**/*.test.ts'
