#!/usr/bin/env bash
# The one test command (npm test): typecheck (per layer), lint (import boundaries), import cycles in the renderer (madge), build, unit/integration tests (vitest) and
# end-to-end tests (Playwright, Debian's Chromium, real core in browser mode).
# Runs every stage even after a failure, then prints "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/vitest.json test-results/e2e.json test-results/stages.txt

stage() {
  local name=$1; shift
  echo "=== $name: $*"
  if "$@"; then echo "$name pass" >> test-results/stages.txt; else echo "$name fail" >> test-results/stages.txt; fi
}

stage typecheck npx tsc -b
stage lint npx eslint src
stage cycles npm run -s cycles
stage format npm run -s format:check
stage build npx electron-vite build
stage vitest npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json
if [ -x /usr/bin/chromium ]; then
  stage e2e npx playwright test
else
  echo "=== e2e: /usr/bin/chromium is missing (install Debian's chromium package); the e2e suite cannot run"
  echo "e2e fail" >> test-results/stages.txt
fi
node scripts/test-summary.mjs
