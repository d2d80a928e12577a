#!/usr/bin/env bash
# Runs the Playwright suite against a private lab engine, and tears the lab down whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export E2E_LAB_DIR="${E2E_LAB_DIR:-/tmp/proclens-e2e-lab}"
cleanup() {
  bash scripts/lab-down.sh "$E2E_LAB_DIR" >/dev/null 2>&1 || true
  for lab in podman ctrd rootless; do bash scripts/lab-runtime-down.sh "$E2E_LAB_DIR-$lab" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
npm run build --silent
npx playwright test -c e2e/playwright.config.ts "$@"
