#!/usr/bin/env bash
# `npm start`: install, build and serve the dashboard on http://localhost:${PORT:-3000}.
# Without SerwerSMS credentials it runs against the embedded sandbox gateway, on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
export NEXT_TELEMETRY_DISABLED=1
# Sandbox mode (no SerwerSMS credentials) listens on 127.0.0.1 only, unless HOST says otherwise: its
# demo accounts and sandbox credentials are published in the README. Live mode listens on HOST, or on
# Next's default (all interfaces). The rule and its tests: lib/config/listen-host.ts.
listen_host="$(node --import tsx --conditions=react-server scripts/listen-host.ts)"
npx --no-install next build
# The server's heap budget. Without a limit, V8 sizes the heap from the machine's memory (about 4 GB on
# a 23 GiB host) and lets garbage pile up: a 100 000-recipient campaign then peaks at ~330 MiB RSS
# instead of ~225 MiB. 512 MB is still about ten times what the server keeps alive. A 4 MB young
# generation (V8's default here is 16 MB per semi-space) collects request garbage sooner: ~20 MB less
# peak RSS during that campaign (npm run bench, P3) at no measurable cost in throughput (P1). The
# benchmark reads this line, so it measures the server exactly as it is started here.
export NODE_OPTIONS="--max-old-space-size=512 --max-semi-space-size=4${NODE_OPTIONS:+ $NODE_OPTIONS}"
# Our own SIGTERM handler lets batches in flight finish before the process exits (lib/server/startup.ts).
export NEXT_MANUAL_SIG_HANDLE=1
exec npx --no-install next start -p "${PORT:-3000}" ${listen_host:+-H "$listen_host"}
