#!/usr/bin/env bash
# Load run: the real host against 10,000 generated feeds (defaults), then an idle start-up in a fresh process.
# Bounded: the harness stops itself after 10 minutes; `timeout` is the backstop. Extra arguments go to `load`,
# e.g. scripts/proof-load.sh --sources 2000 --minutes 1 --poll-interval 30
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/NewsBot.Benchmarks -c Release --nologo -v q
# The memory settings the Dockerfile and the systemd unit ship with (docs/operations.md, "Memory").
export MALLOC_ARENA_MAX=2 DOTNET_GCgen0size=0x600000
run() { timeout 660 dotnet run -c Release --no-build --project bench/NewsBot.Benchmarks -- "$@"; }
echo "== load (figures as JSON; progress on stderr)"
run load "$@"
echo "== idle start-up (separate process, so its RSS is the host's alone)"
run load --idle
