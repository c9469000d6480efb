#!/usr/bin/env bash
# Sizes of the demo network's article pages and of the style sheets,
# against the budgets: an article page's HTML under 30 KB, the style sheets
# under 15 KB together (KB = 1024 bytes, as in TestCrawlDemo, which asserts
# the same budgets; this script only reports the figures).
#
# Usage: bash bench/sizes.sh
#
# It builds chancery, serves the demo network from a fresh data directory on
# a free loopback port, lists every published or withdrawn article of every
# site in every language from the database, and fetches each page as a
# browser would on that site's first host, uncompressed (and once more with
# gzip, for the bytes on the wire). The style sheets are those a page links
# with <link rel="stylesheet">.
#
# Needs: go (to build), bash, curl, sqlite3 (to list the articles), and the
# usual sort, grep, sed, cut and wc. Touches only 127.0.0.1 and a temporary
# directory it removes.
set -euo pipefail

page_budget=$((30 << 10))
style_budget=$((15 << 10))
timeout_ms=30000

for tool in curl sqlite3; do
	command -v "$tool" >/dev/null || { echo "$0 needs $tool" >&2; exit 1; }
done
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
port=$(free_port)
base="http://127.0.0.1:$port"

"$tmp/chancery" serve --data "$tmp/data" --addr "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
pid=$!
start=$(date +%s%N)
until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'Host: un.localhost' "$base/en/" || true) == 200 ]]; do
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "the server exited before answering; its output:" >&2
		cat "$tmp/serve.log" >&2
		pid=
		exit 1
	fi
	if (($(date +%s%N) - start > timeout_ms * 1000000)); then
		echo "no answer from $base within $((timeout_ms / 1000)) s" >&2
		exit 1
	fi
	sleep 0.005
done

# One host per site, and each visible article's address.
now_us=$(($(date +%s%N) / 1000))
sqlite3 -separator ' ' "file:$tmp/data/chancery.db?mode=ro" "
	SELECT (SELECT min(host) FROM site_hosts h WHERE h.site_id = a.site_id), a.path
	FROM articles a
	WHERE a.path IS NOT NULL AND a.status IN ('published', 'withdrawn') AND a.published_at <= $now_us
	ORDER BY a.site_id, a.language, a.id" >"$tmp/articles"
[[ -s $tmp/articles ]] || { echo "the demo network has no article to fetch" >&2; exit 1; }

# size host path [gzip]: bytes of the body as sent; fails unless 200.
size() {
	local out code bytes
	local args=(-s -o /dev/null -w '%{http_code} %{size_download}' --max-time 10 -H "Host: $1")
	[[ ${3:-} == gzip ]] && args+=(-H 'Accept-Encoding: gzip')
	out=$(curl "${args[@]}" "$base$2")
	read -r code bytes <<<"$out"
	if [[ $code != 200 ]]; then
		echo "GET $1$2 = $code" >&2
		return 1
	fi
	echo "$bytes"
}

: >"$tmp/sizes"
while read -r host path; do
	printf '%s %s %s %s\n' "$(size "$host" "$path")" "$(size "$host" "$path" gzip)" "$host" "$path" >>"$tmp/sizes"
done <"$tmp/articles"

# ratio a b prints a/b with two decimals, rounded.
ratio() { local r=$((($1 * 100 + $2 / 2) / $2)); printf '%d.%02d' $((r / 100)) $((r % 100)); }

sort -n -k1,1 "$tmp/sizes" >"$tmp/sorted"
n=$(wc -l <"$tmp/sorted")
read -r largest largest_gz largest_host largest_path < <(tail -n 1 "$tmp/sorted")
median=$(sed -n "$(((n + 1) / 2))p" "$tmp/sorted" | cut -d" " -f1)
smallest=$(head -n 1 "$tmp/sorted" | cut -d' ' -f1)
read -r _ largest_gzip gzip_host gzip_path < <(sort -n -k2,2 "$tmp/sizes" | tail -n 1)

echo "article pages: $n (every site, every language)"
echo "  smallest HTML: $smallest bytes"
echo "  median HTML:   $median bytes"
echo "  largest HTML:  $largest bytes ($largest_gz gzipped): $largest_host$largest_path"
echo "  largest gzipped: $largest_gzip bytes: $gzip_host$gzip_path"
echo "  largest / budget: $largest / $page_budget bytes = $(ratio "$largest" "$page_budget")"

# The style sheets a page links.
mapfile -t sheets < <(curl -s --max-time 10 -H "Host: $largest_host" "$base$largest_path" |
	grep -o '<link rel="stylesheet" href="[^"]*"' | sed 's/.*href="\([^"]*\)"/\1/')
((${#sheets[@]} > 0)) || { echo "the page links no style sheet" >&2; exit 1; }
total=0
total_gz=0
echo "style sheets: ${#sheets[@]}"
for s in "${sheets[@]}"; do
	b=$(size "$largest_host" "$s")
	g=$(size "$largest_host" "$s" gzip)
	total=$((total + b))
	total_gz=$((total_gz + g))
	echo "  $s: $b bytes ($g gzipped)"
done
echo "  together: $total bytes ($total_gz gzipped)"
echo "  together / budget: $total / $style_budget bytes = $(ratio "$total" "$style_budget")"
