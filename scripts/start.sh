#!/usr/bin/env bash
# `npm start`: install, build and serve the dashboard on http://localhost:${PORT:-3000}.
# Without SerwerSMS credentials it runs against the embedded sandbox gateway.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export NEXT_TELEMETRY_DISABLED=1
npx --no-install next build
exec npx --no-install next start -p "${PORT:-3000}"
