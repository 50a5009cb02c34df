#!/usr/bin/env bash
# Crash run: kill -9 the dispatching harness at random points of a fan-out, restart it until nothing is pending,
# then check the sent log and the deliveries table (defaults: 20 runs of 10,000 deliveries, 5 kills each).
# Bounded: the verb stops itself after 10 minutes; `timeout` is the backstop. Progress per run on stderr.
# Usage: scripts/proof-crash.sh [--deliveries N] [--runs R] [--kills K]
set -euo pipefail
cd "$(dirname "$0")/.."
# The harness references the bench project, so this one build produces both in Release.
dotnet build tests/NewsBot.CrashHarness -c Release --nologo -v q
start=$(date +%s)
timeout 660 dotnet run -c Release --no-build --project bench/NewsBot.Benchmarks -- \
  crash --harness tests/NewsBot.CrashHarness/bin/Release/net10.0/NewsBot.CrashHarness.dll "$@"
echo "wall time (dotnet run + all runs): $(( $(date +%s) - start )) s"
