#!/usr/bin/env bash
# Search figures, side by side in one run, on a generated site:
#   - latency of one- to three-word queries through HTTP, English and
#     Chinese (p50/p95/p99), against the 20 ms target for p95;
#   - the same queries as plain FTS5 statements on the same index, without
#     our layer, and the ratio (our overhead);
#   - indexing rate (chancery reindex) and index size relative to the text;
#   - known-item quality on a 10,000-article site (chancery search-check).
#
# Usage: bash bench/search.sh [ARTICLES]     (default 100000)
# The generated data directories are kept under .bench/ and reused; set
# BENCH_DATA to use another directory. Needs go and a free disk of ~2 GB.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
articles=${1:-100000}
data=${BENCH_DATA:-$root/.bench/search-$articles}
quality=$root/.bench/search-10000
bin=$(mktemp -d)/chancery
trap 'rm -rf "$(dirname "$bin")"' EXIT

echo "== building"
go build -o "$bin" ./cmd/chancery

if [ ! -f "$data/chancery.db" ]; then
  echo "== generating $articles articles into $data"
  "$bin" bench-data --articles "$articles" --data "$data"
fi

echo "== reindexing (indexing rate, index size)"
reindex=$("$bin" reindex --data "$data" | tail -n 1)
echo "$reindex"
rate=$(sed -E 's/.*\(([0-9.]+) articles\/s\).*/\1/' <<<"$reindex")
ratio=$(sed -E 's/.*\(([0-9.]+) × the text\).*/\1/' <<<"$reindex")

echo "== latency: HTTP (our layer) and plain FTS5, same queries, same index"
out=$(mktemp)
CHANCERY_BENCH_DATA="$data" go test -run '^$' -bench 'Search(HTTP|FTS5Plain)' -benchtime 300x ./internal/site | tee "$out"
metric() { # benchmark name, metric unit
  awk -v b="$1" -v m="$2" '$1 ~ "^"b"(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i+1) == m) print $i }' "$out"
}

if [ ! -f "$quality/chancery.db" ]; then
  echo "== generating 10000 articles for the known-item check"
  "$bin" bench-data --articles 10000 --data "$quality" >/dev/null
fi
echo "== known-item quality"
"$bin" search-check --data "$quality" --samples 500 | grep -E '^  (en|zh):'

echo
echo "== summary ($articles articles)"
for lang in en zh; do
  http=$(metric "BenchmarkSearchHTTP/$lang" p95-ms)
  plain=$(metric "BenchmarkSearchFTS5Plain/$lang" p95-ms)
  awk -v l="$lang" -v h="$http" -v p="$plain" 'BEGIN {
    printf "%s: p95 through HTTP %.2f ms (target 20 ms: %.2f of it); plain FTS5 p95 %.2f ms; our overhead %.2f×\n", l, h, h/20, p, h/p }'
done
awk -v r="$rate" 'BEGIN { printf "indexing: %.0f articles/s (target 2,000: %.2f×)\n", r, r/2000 }'
echo "index size: $ratio × the indexed text"
rm -f "$out"
