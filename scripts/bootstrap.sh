#!/usr/bin/env bash
# One command on a fresh machine with only Node.js and npm: install the pinned pnpm when it is
# missing, install dependencies from the lockfile, then pull the spec, generate and build.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p 'require("./package.json").packageManager.split("@")[1]')
export TURBO_TELEMETRY_DISABLED=1 COREPACK_INTEGRITY_KEYS=0

node -e 'const [maj, min] = process.versions.node.split(".").map(Number); if (maj < 20 || (maj === 20 && min < 19)) { console.error(`bootstrap: Node.js >= 20.19 is required, this is ${process.version}`); process.exit(1) }'

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION with npm"
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
fi

pnpm install --frozen-lockfile
pnpm build
