#!/usr/bin/env bash
# Gateway flapping: the real host with the real Discord adapter against the fake Discord, the Gateway connection
# ended every S seconds (TCP drop, closes 1001/4000/4008/4009, op 7, op 9 resumable and not, in turn) for M minutes
# while slash commands arrive at 2-5 per second and articles are posted. Prints the figures as JSON and PASS/FAIL;
# exits non-zero on FAIL. Usage: scripts/proof-gateway.sh [--minutes M] [--drop-every S]   (defaults: 10, 30)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=10
drop_every=30
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --drop-every) drop_every="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
dotnet build bench/NewsBot.Benchmarks -c Release --nologo -v q
# Backstop only: the run ends itself after M minutes plus at most a minute of draining.
limit=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 + 180 }')
timeout "$limit" dotnet run -c Release --no-build --project bench/NewsBot.Benchmarks -- gateway --minutes "$minutes" --drop-every "$drop_every"
