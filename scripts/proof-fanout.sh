#!/usr/bin/env bash
# Fan-out as a share of each platform's limit: the real host with the real Discord and Telegram adapters against
# both fakes at the documented limits (Discord 50 requests/s, 5 per 5 s per channel; Telegram 30 messages/s,
# 3 per 3 s per chat, 20 per minute per group). Prints one JSON object per run.
# With arguments, one run: scripts/proof-fanout.sh [--platform discord|telegram|both] [--channels N] [--posts N]
# Without, the two proof sizes: 200 channels per platform x 3 posts, then 2,500 per platform (5,000 in all) x 1 post.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/NewsBot.Benchmarks -c Release --nologo -v q
run() { timeout 660 dotnet run -c Release --no-build --project bench/NewsBot.Benchmarks -- fanout "$@"; }
if [ $# -gt 0 ]; then
  run "$@"
  exit
fi
for platform in discord telegram both; do
  echo "== $platform, 200 channels per platform, 3 posts"
  run --platform "$platform" --channels 200 --posts 3
done
for platform in discord telegram both; do
  echo "== $platform, 2,500 channels per platform, 1 post"
  run --platform "$platform" --channels 2500 --posts 1
done
