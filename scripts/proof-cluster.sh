#!/usr/bin/env bash
# Cluster proof: a throwaway PostgreSQL, the fake Discord (sharded), the fake Telegram and a loopback feed server,
# N real `newsbot` processes in cluster mode against them; once every source was polled, M minutes of new items and
# commands while one process is SIGKILLed every K seconds and started again R seconds later. Prints the figures as
# JSON, a summary and PASS/FAIL (exit 1 on FAIL). Defaults are the issue's full proof:
#   3 processes, 2,000 sources, 500 channels per platform, 10 minutes, kill every 60 s, restart after 20 s.
# Short run:   scripts/proof-cluster.sh --minutes 2 --sources 200 --channels 50
# Throughput:  scripts/proof-cluster.sh --throughput [--sources 2000] [--window 60] [--backlog 3000]
#              (1 process on core 0, then 2 on cores 0 and 1, same PostgreSQL; every source due every 8 s;
#              a cluster refuses intervals under 4 s: its DeadAfter, at least 2 s, must be at most half of it)
# Other options: --processes N --kill-every S --restart-after S --poll-interval S (≥ 4) --hosts N --shards N
#   --items-per-second X --commands-per-second X --drain S --logs DIR (each process's log; kept)
set -euo pipefail
cd "$(dirname "$0")/.."
# One build makes both: the bench tool and newsbot.dll beside it (its project reference).
dotnet build bench/NewsBot.Benchmarks -c Release --nologo -v q
# Backstop only: the verb bounds itself (run + first pass + drain + set-up).
timeout 3600 dotnet run -c Release --no-build --project bench/NewsBot.Benchmarks -- cluster "$@"
