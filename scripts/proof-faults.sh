#!/usr/bin/env bash
# Fault runs: database write-locked, database full (SQLITE_FULL), platform failing 10 % of sends.
# Each injects its fault for 5 s and waits at most 60 s for every item to arrive; the whole run stays under 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/NewsBot.Benchmarks -c Release --nologo -v q
timeout 600 dotnet run -c Release --no-build --project bench/NewsBot.Benchmarks -- faults
