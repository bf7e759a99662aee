#!/usr/bin/env bash
# `npm test`: every test, from a fresh clone. Installs packages and Debian Chromium when missing,
# type-checks and builds the app, runs unit/integration tests (vitest), then e2e (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
step() { printf '\n== %s (t=%ss)\n' "$*" "$((SECONDS - t0))"; }

step "dependencies"
bash scripts/ensure-deps.sh --browser
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

step "type-check"
npx --no-install tsc --noEmit
step "build (with a known canary gateway token, so the e2e suite can prove it never reaches the browser)"
SERWERSMS_TOKEN="$(node -p "require('./tests/support/token-canary.json').token")" npx --no-install next build
step "unit + integration tests (vitest)"
npx --no-install vitest run
step "e2e tests (Playwright, Debian Chromium)"
npx --no-install playwright test
step "all tests passed"
