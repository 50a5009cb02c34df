#!/usr/bin/env bash
# Hostile input: the real host polls each hostile endpoint of the fake feed server once (100 MB body, drip,
# gzip bomb, invalid UTF-8, XXE, billion laughs, markup, control characters, redirect to a private address),
# then every conformance-corpus document goes through FeedParser. Needs the corpus for the second part
# (NEWSBOT_CORPUS or ../shared/corpus). Bounded by the fetch deadline (10 s) and `timeout`.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/NewsBot.Benchmarks -c Release --nologo -v q
timeout 600 dotnet run -c Release --no-build --project bench/NewsBot.Benchmarks -- hostile
