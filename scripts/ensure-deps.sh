#!/usr/bin/env bash
# Installs what the app needs on a fresh clone (Debian 12 + Node >= 20.19): npm packages, and with
# --browser also Debian's Chromium for Playwright. Idempotent: re-installs only when the lockfile changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [ "${1:-}" = "--browser" ]; then
  CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ ! -x "$CHROMIUM_PATH" ]; then
    echo "== installing Debian chromium (Playwright drives the system browser; no download)"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
  fi
fi

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat node_modules/.install-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.install-lock-hash
fi
