#!/usr/bin/env bash
# Publishing figures (issue 4), each contender on the same data in the same
# run, with ratios against the targets:
#   1. article page throughput with wrk (64 connections, keep-alive, 2
#      threads, a mix of 1,000 article addresses): chancery serve versus
#      Debian's nginx serving the same site's static export
#      (docs/nginx-export.conf); then chancery serve alone on the
#      100,000-article site, with its peak resident memory (VmHWM);
#   2. full export of a generated bilingual site versus Hugo building the
#      same content (bench/hugo-site.py writes it): chancery export from
#      the page store (after a first export has rendered and kept every
#      page, as serving or publishing does), and chancery export
#      --render-all (every page rendered and compressed in the run), with
#      cp -r of the finished tree as the file system's floor;
#   3. publishing one article, median and p99, on 1,000 and 100,000
#      articles (TestPublishLatency).
# Where a target is missed, a CPU profile of the slow side is summarised
# (perf for the binaries, go test -cpuprofile for publishing).
#
# Usage: bash bench/publishing.sh [RESULTS.md]   (default /tmp/publishing-results.md)
# Environment (defaults in brackets):
#   BIG_DATA        data dir of the large site for serve and publish [.bench/pub100k]
#   SMALL_DATA      data dir of the 1,000-article site for publish   [.bench/pub1k]
#   EXPORT_ARTICLES articles of the site exported and built by Hugo  [10000]
#   RUNS            timed runs of export and of hugo (median)        [3]
#   EXPORT_RUNS     timed runs of each kind of export                [RUNS]
#   DURATION        seconds of each wrk measurement (after a 5 s warm-up) [20]
#   ROUNDS          wrk measurements of each server, in turns (median) [3]
#   PUBLISHES       publishes timed by TestPublishLatency            [200]
#   BROTLI_ALT      also time one --render-all export with this
#                   --brotli-quality, to show what the .br files cost (0:
#                   none); empty to skip                             [0]
#   EXPORT_FLAGS    more flags for the timed exports (smoke tests)   []
#   PROFILE         1 to profile the slow side of a missed target    [1]
#   OUT_DIR         where the exports and Hugo's output are written; a
#                   tmpfs (/dev/shm) leaves the disk out      [a temporary dir]
# Data directories are copied, never changed. Needs go, python3, and the
# Debian packages wrk, nginx (or nginx-light) with
# libnginx-mod-http-brotli-static, hugo and linux-perf (for profiles);
# missing ones are installed with apt-get when run as root.
set -euo pipefail
results=${1:-/tmp/publishing-results.md}
script_start=$(date +%s)

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" # root, tmp (removed on exit), $tmp/chancery, free_port
chmod 755 "$tmp" # nginx's workers (www-data) read the export below it
bin=$tmp/chancery
big=${BIG_DATA:-$root/.bench/pub100k}
small=${SMALL_DATA:-$root/.bench/pub1k}
export_articles=${EXPORT_ARTICLES:-10000}
tput_rounds=${ROUNDS:-3}
runs=${RUNS:-3}
export_runs=${EXPORT_RUNS:-$runs}
duration=${DURATION:-20}
publishes=${PUBLISHES:-200}
brotli_alt=${BROTLI_ALT-0}
profile=${PROFILE:-1}
read -r -a export_flags <<<"${EXPORT_FLAGS:-}"
host=bench.localhost
accept='gzip, br'

# Every process this script starts in the background is listed here and
# stopped on exit, before lib.sh's clean-up removes $tmp.
bg_pids=()
stop_all() {
	local p
	for p in "${bg_pids[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${bg_pids[@]}"; do
		for _ in {1..100}; do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.05
		done
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	bg_pids=()
}
bg_cleanup_dirs=()
trap 'stop_all; rm -rf "${bg_cleanup_dirs[@]}"; cleanup' EXIT
trap 'exit 1' HUP INT PIPE TERM

fail() {
	echo "publishing.sh: $*" >&2
	exit 1
}
now() { date +%s.%N; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# --- tools ---------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
[[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]] || need+=(libnginx-mod-http-brotli-static)
command -v hugo >/dev/null || need+=(hugo)
if ((${#need[@]})); then
	[[ $(id -u) == 0 ]] || fail "missing: ${need[*]} (apt-get install them)"
	echo "== installing ${need[*]}" >&2
	apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
fi
have_perf=0
command -v perf >/dev/null && perf record -q -o /dev/null -- true 2>/dev/null && have_perf=1

[[ -f $small/chancery.db ]] || fail "no data at $small (chancery bench-data --articles 1000 --data $small)"
if [[ ! -f $big/chancery.db ]]; then
	fail "no data at $big (chancery bench-data --articles 100000 --data $big)"
fi
if pgrep -f "bench-data .*--data $big" >/dev/null 2>&1 || pgrep -f "bench-data .*--data .bench/$(basename "$big")" >/dev/null 2>&1; then
	fail "$big is still being generated"
fi

# --- machine -------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(free -h | awk '/^Mem:/ { print $2 }')
machine=$(
	cat <<EOF
| | |
| --- | --- |
| CPUs (\`nproc\`) | $(nproc) |
| CPU | ${cpu:-unknown} |
| memory (\`free -h\`) | $mem |
| kernel | $(uname -sr) |
| Go | $(go version | cut -d' ' -f3-) |
| nginx | $(nginx -v 2>&1 | sed 's/^nginx version: //') (Debian $(dpkg-query -W -f '${Package} ${Version}' nginx-light 2>/dev/null || dpkg-query -W -f '${Package} ${Version}' nginx 2>/dev/null)) |
| Hugo | $(hugo version | cut -d' ' -f2) |
| wrk | $(wrk -v 2>&1 | head -n1 | cut -d' ' -f2) |
| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |
EOF
)
echo "$machine"

# article_paths DB N prints N published article addresses of the site,
# spread evenly over the site (both languages).
article_paths() {
	python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "/chancery.db?mode=ro", uri=True)
n = int(sys.argv[2])
rows = [r[0] for r in db.execute(
    "SELECT a.path FROM articles a JOIN sites s ON s.id = a.site_id "
    "WHERE s.key = 'bench' AND a.status = 'published' ORDER BY a.id")]
step = max(1, len(rows) // n)
for p in rows[::step][:n]:
    print(p)
PY
}

# perf_top FILE prints the 25 hottest symbols of a perf recording.
perf_top() {
	perf report -i "$1" --no-children --sort symbol --stdio 2>/dev/null |
		awk '/^ +[0-9.]+%/ && n++ < 25 { sub(/ +- +- *$/, ""); print }' || true
}

# wrk_run PORT PATHS SECONDS: prints requests/s; fails on a non-2xx answer
# or a socket error.
wrk_run() {
	local port=$1 paths=$2 secs=$3 out
	out=$(WRK_PATHS=$paths WRK_HOST=$host WRK_ACCEPT=$accept \
		wrk -t2 -c64 -d"${secs}s" --latency -s "$root/bench/wrk-mix.lua" "http://127.0.0.1:$port/")
	echo "$out" >>"$tmp/wrk.log"
	if grep -qE 'Non-2xx' <<<"$out"; then
		echo "$out" >&2
		fail "wrk against port $port: non-2xx answers"
	fi
	if grep -qE 'Socket errors' <<<"$out"; then
		echo "wrk against port $port: $(grep 'Socket errors' <<<"$out")" >&2
		echo "port $port, ${secs} s: $(grep 'Socket errors' <<<"$out")" >>"$tmp/socket-errors"
	fi
	awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}
# warm PORT PATHS: asks for every address once, one at a time (a cold
# chancery serve renders and stores each page on its first request).
warm() {
	local t0 t1
	t0=$(now)
	while read -r p; do
		curl -fs -o /dev/null -H "Host: $host" -H "Accept-Encoding: $accept" "http://127.0.0.1:$1$p" || fail "warm-up: $p on port $1"
	done <"$2"
	t1=$(now)
	calc %.1f "$t1 - $t0"
}
wrk_warm() { # a 5 s wrk pass whose figures are not kept
	WRK_PATHS=$2 WRK_HOST=$host WRK_ACCEPT=$accept \
		wrk -t2 -c64 -d5s -s "$root/bench/wrk-mix.lua" "http://127.0.0.1:$1/" >/dev/null
}
wrk_latency() { # the 50% and 99% lines of the last wrk run
	awk '/^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } END { print p50 " / " p99 }' <(tail -n 40 "$tmp/wrk.log")
}

wait_http() { # PORT PATH: waits until the server answers, up to 120 s
	for _ in {1..1200}; do
		curl -fs -o /dev/null -H "Host: $host" "http://127.0.0.1:$1$2" && return 0
		sleep 0.1
	done
	fail "nothing answers on 127.0.0.1:$1$2"
}

# start_serve DATA: starts chancery serve on a free port; sets serve_pid, serve_port.
start_serve() {
	serve_port=$(free_port)
	"$bin" serve --data "$1" --addr "127.0.0.1:$serve_port" --demo=false \
		--public-scheme https --public-port 443 --search-rate 0 >>"$tmp/serve.log" 2>&1 &
	serve_pid=$!
	bg_pids+=("$serve_pid")
	wait_http "$serve_port" /en/
}
stop_pid() {
	local p=$1 q=()
	kill -INT "$p" 2>/dev/null || true
	for _ in {1..400}; do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	for x in "${bg_pids[@]}"; do [[ $x == "$p" ]] || q+=("$x"); done
	bg_pids=("${q[@]}")
}

# --- 2. export versus Hugo (first: it makes the site that step 1 compares) ---
echo "== generating a $export_articles-article bilingual site" >&2
site=$tmp/site
"$bin" bench-data --articles "$export_articles" --data "$site" >/dev/null
cat "$site"/chancery.db* >/dev/null # warm file cache

# The exports and Hugo's output go to $OUT_DIR when set (a tmpfs such as
# /dev/shm takes the disk and the file system's history out of the
# comparison), else beside the script's other files.
if [[ -n ${OUT_DIR:-} ]]; then
	outd=$(mktemp -d "$OUT_DIR/chancery-bench.XXXXXX")
	chmod 755 "$outd"
	bg_cleanup_dirs+=("$outd")
else
	outd=$tmp
fi

# Every timed run writes to a directory of its own, and nothing is deleted
# until all of them (and Hugo's) are done: on ext4, files made within
# minutes of deleting many others cost several times more (the inode
# allocator skips recently freed inodes one by one), which would charge one
# contender for the other's clean-up. Each run starts after a sync, so
# that neither pays for writing back the other's files.
# run_export OUT FLAGS...: prints the seconds one export took.
run_export() {
	local out=$1 t0 t1
	shift
	sync
	t0=$(now)
	"$bin" export --data "$site" --site "$host" --out "$out" "$@" >"$tmp/export.log" 2>&1 ||
		{ cat "$tmp/export.log" >&2; fail "chancery export $*"; }
	t1=$(now)
	echo "   $(calc %.3f "$t1 - $t0") s: $(head -n1 "$tmp/export.log") $(sed -n 2p "$tmp/export.log")" >&2
	calc %.3f "$t1 - $t0"
}

# (a) Every page rendered and compressed: the build from the content alone.
render_times=()
for i in $(seq 1 "$export_runs"); do
	echo "== chancery export --render-all, run $i of $export_runs" >&2
	if ((i == 1 && profile && have_perf)); then
		sync
		t0=$(now)
		perf record -q -F 99 -g -o "$tmp/export.perf" -- \
			"$bin" export --data "$site" --site "$host" --out "$outd/export-render-$i" --render-all "${export_flags[@]}" >"$tmp/export.log" 2>&1
		t1=$(now)
		render_times+=("$(calc %.3f "$t1 - $t0")")
	else
		render_times+=("$(run_export "$outd/export-render-$i" --render-all "${export_flags[@]}")")
	fi
done
render_med=$(printf '%s\n' "${render_times[@]}" | median)

# (b) From the page store. serve marks the store as holding pages rendered
# for https://HOST (it is started once, as it would be in production); the
# first export then renders every page and keeps it there (as serving the
# site or publishing does), and the timed ones write the stored pages as
# they are.
echo "== chancery serve, started once to mark the page store" >&2
start_serve "$site"
stop_pid "$serve_pid"
echo "== chancery export, filling the page store" >&2
fill_time=$(run_export "$outd/export-fill" "${export_flags[@]}")
grep -q 'rendered and kept there' "$tmp/export.log" || fail "the export kept no page in the page store: $(cat "$tmp/export.log")"
export_times=()
for i in $(seq 1 "$export_runs"); do
	echo "== chancery export from the page store, run $i of $export_runs" >&2
	export_times+=("$(run_export "$outd/export-$i" "${export_flags[@]}")")
	grep -q ' 0 rendered and kept there' "$tmp/export.log" || fail "the export rendered pages the store should have held: $(sed -n 2p "$tmp/export.log")"
done
export_med=$(printf '%s\n' "${export_times[@]}" | median)
ln -sfn "$(readlink -f "$outd/export-$export_runs")" "$tmp/export"
export_files=$(find -L "$tmp/export" -type f | wc -l)
export_bytes=$(du -sLb "$tmp/export" | cut -f1)

# The file system's share: copying the finished tree, with cp -r, costs
# what writing its files alone costs on this machine.
sync
t0=$(now)
cp -r "$(readlink -f "$tmp/export")" "$outd/export-copy"
sync
t1=$(now)
copy_time=$(calc %.3f "$t1 - $t0")

alt_line=
if [[ -n $brotli_alt ]]; then
	echo "== chancery export --render-all --brotli-quality $brotli_alt (one run)" >&2
	alt_time=$(run_export "$outd/export-alt" --render-all --brotli-quality "$brotli_alt")
fi

echo "== writing the same content as a Hugo site" >&2
python3 "$root/bench/hugo-site.py" "$site" "$tmp/hugo" >&2
(cd "$tmp/hugo" && hugo --quiet -d "$outd/hugo-public-0" >/dev/null) # warm-up, untimed
hugo_times=()
for i in $(seq 1 "$runs"); do
	sync
	t0=$(now)
	(cd "$tmp/hugo" && hugo --quiet -d "$outd/hugo-public-$i" >/dev/null)
	t1=$(now)
	hugo_times+=("$(calc %.3f "$t1 - $t0")")
	echo "   hugo run $i: ${hugo_times[-1]} s" >&2
done
hugo_med=$(printf '%s\n' "${hugo_times[@]}" | median)
hugo_files=$(find "$outd/hugo-public-1" -type f | wc -l)
hugo_bytes=$(du -sb "$outd/hugo-public-1" | cut -f1)
export_ratio=$(calc %.2f "$export_med / $hugo_med")
render_ratio=$(calc %.2f "$render_med / $hugo_med")
echo "export from the page store ${export_med} s, rendering every page ${render_med} s, hugo ${hugo_med} s: export/hugo = $export_ratio, render-all/hugo = $render_ratio (target <= 0.5)"
rm -rf "$outd"/hugo-public-* "$outd/export-copy" "$outd/export-alt" "$outd/export-alt.versions" "$outd"/export-render-* "$outd/export-fill" "$outd/export-fill.versions"

# --- 1. throughput: chancery serve and nginx, same site ------------------
echo "== throughput on the $export_articles-article site: chancery serve and nginx on its export" >&2
cp -r "$site" "$tmp/site-serve"
article_paths "$site" 1000 >"$tmp/paths-small"
[[ $(wc -l <"$tmp/paths-small") -ge 1000 ]] || fail "fewer than 1,000 articles in the exported site"
while read -r p; do
	[[ -f $tmp/export$p ]] || fail "the export has no file for $p"
done <"$tmp/paths-small"

mkdir -p "$tmp/nginx/logs" "$tmp/nginx/temp"
nginx_port=$(free_port)
sed -e "s|^\( *\)listen 80;|\1listen 127.0.0.1:$nginx_port;|" \
	-e "s|^\( *\)server_name .*;|\1server_name $host;|" \
	-e "s|^\( *\)root /srv/chancery/export/embassy;|\1root $tmp/export;|" \
	-e "s|include /srv/chancery/export/embassy/../redirects.conf;|include $tmp/export/../redirects.conf;|" \
	"$root/docs/nginx-export.conf" >"$tmp/nginx/site.conf"
grep -q "listen 127.0.0.1:$nginx_port;" "$tmp/nginx/site.conf" || fail "docs/nginx-export.conf: no 'listen 80;' to replace"
cat >"$tmp/nginx/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $tmp/nginx/temp/body;
    proxy_temp_path $tmp/nginx/temp/proxy;
    fastcgi_temp_path $tmp/nginx/temp/fastcgi;
    uwsgi_temp_path $tmp/nginx/temp/uwsgi;
    scgi_temp_path $tmp/nginx/temp/scgi;
    include $tmp/nginx/site.conf;
}
EOF
nginx -t -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' >/dev/null 2>&1 ||
	{ nginx -t -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;'; fail "nginx configuration"; }
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
bg_pids+=($!)
nginx_pid=$!
wait_http "$nginx_port" /en/

start_serve "$tmp/site-serve"

# The same bytes from both, for a sample of addresses: identity and br.
mismatch=0
checked=0
while read -r p; do
	for enc in identity br gzip; do
		curl -fs -H "Host: $host" -H "Accept-Encoding: $enc" -D "$tmp/h1" "http://127.0.0.1:$serve_port$p" -o "$tmp/b1" || fail "chancery: $p"
		curl -fs -H "Host: $host" -H "Accept-Encoding: $enc" -D "$tmp/h2" "http://127.0.0.1:$nginx_port$p" -o "$tmp/b2" || fail "nginx: $p"
		ce1=$( (grep -i '^content-encoding:' "$tmp/h1" || true) | tr -d '\r' | cut -d' ' -f2)
		ce2=$( (grep -i '^content-encoding:' "$tmp/h2" || true) | tr -d '\r' | cut -d' ' -f2)
		ct1=$( (grep -i '^content-type:' "$tmp/h1" || true) | tr -d '\r' | cut -d' ' -f2-)
		ct2=$( (grep -i '^content-type:' "$tmp/h2" || true) | tr -d '\r' | cut -d' ' -f2-)
		checked=$((checked + 1))
		if [[ $enc == identity ]] && ! cmp -s "$tmp/b1" "$tmp/b2"; then
			echo "DIFFERENT body for $p: chancery $(wc -c <"$tmp/b1") bytes, nginx $(wc -c <"$tmp/b2")" >&2
			diff <(cat "$tmp/b1") <(cat "$tmp/b2") | head -n 10 >&2 || true
			mismatch=$((mismatch + 1))
		elif [[ $ce1 != "$ce2" || $ct1 != "$ct2" ]]; then
			echo "DIFFERENT headers for $p ($enc): chancery '$ce1' '$ct1', nginx '$ce2' '$ct2'" >&2
			mismatch=$((mismatch + 1))
		fi
	done
done < <(awk 'NR % 100 == 1' "$tmp/paths-small")
echo "compared $checked answers (10 addresses × identity, br, gzip): $mismatch differ" >&2
br_len_c=$(curl -s -H "Host: $host" -H "Accept-Encoding: $accept" "http://127.0.0.1:$serve_port$(head -n1 "$tmp/paths-small")" | wc -c)
br_len_n=$(curl -s -H "Host: $host" -H "Accept-Encoding: $accept" "http://127.0.0.1:$nginx_port$(head -n1 "$tmp/paths-small")" | wc -c)

# The exports' gigabytes are still being written back to the disk: that
# kernel work would land on whichever server is measured first. Then the
# two are measured in turns, ROUNDS times each, and compared by their
# medians, so that the machine's other load falls on both.
sync
echo "== wrk: warming chancery serve ($export_articles articles) and nginx" >&2
cold_small=$(warm "$serve_port" "$tmp/paths-small")
wrk_warm "$serve_port" "$tmp/paths-small"
warm "$nginx_port" "$tmp/paths-small" >/dev/null
wrk_warm "$nginx_port" "$tmp/paths-small"
c_runs=() n_runs=()
for i in $(seq 1 "$tput_rounds"); do
	echo "== wrk round $i of $tput_rounds: chancery serve, then nginx" >&2
	c_runs+=("$(wrk_run "$serve_port" "$tmp/paths-small" "$duration")")
	lat_c_small=$(wrk_latency)
	n_runs+=("$(wrk_run "$nginx_port" "$tmp/paths-small" "$duration")")
	lat_n=$(wrk_latency)
done
rps_c_small=$(printf '%s\n' "${c_runs[@]}" | median)
rps_n=$(printf '%s\n' "${n_runs[@]}" | median)
tput_ratio=$(calc %.2f "$rps_c_small / $rps_n")
echo "chancery $rps_c_small req/s, nginx $rps_n req/s: chancery/nginx = $tput_ratio (target >= 0.9)"
serve_perf_note=
if [[ $profile == 1 && $have_perf == 1 ]] && awk "BEGIN { exit !($tput_ratio < 0.9) }"; then
	echo "== profiling chancery serve under wrk (10 s)" >&2
	perf record -q -F 199 -g -p "$serve_pid" -o "$tmp/serve.perf" -- sleep 10 >/dev/null 2>&1 &
	perf_job=$!
	WRK_PATHS=$tmp/paths-small WRK_HOST=$host WRK_ACCEPT=$accept \
		wrk -t2 -c64 -d10s -s "$root/bench/wrk-mix.lua" "http://127.0.0.1:$serve_port/" >/dev/null
	wait "$perf_job" || true
	serve_perf_note=$(perf_top "$tmp/serve.perf")
fi
stop_pid "$serve_pid"
stop_pid "$nginx_pid"
rm -rf "$tmp/site-serve" "$tmp/hugo"

# --- 1b. chancery serve on the large site: throughput, peak memory -------
big_articles=$(python3 -c "import sqlite3,sys; print(sqlite3.connect('file:$big/chancery.db?mode=ro', uri=True).execute(\"SELECT count(*) FROM articles a JOIN sites s ON s.id=a.site_id WHERE s.key='bench'\").fetchone()[0])")
echo "== chancery serve on a copy of $big ($big_articles articles)" >&2
cp -r "$big" "$tmp/big-serve"
article_paths "$tmp/big-serve" 1000 >"$tmp/paths-big"
start_serve "$tmp/big-serve"
cold_big=$(warm "$serve_port" "$tmp/paths-big")
wrk_warm "$serve_port" "$tmp/paths-big"
rps_c_big=$(wrk_run "$serve_port" "$tmp/paths-big" "$duration")
lat_c_big=$(wrk_latency)
hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$serve_pid/status")
stop_pid "$serve_pid"
rm -rf "$tmp/big-serve"
hwm_mb=$(calc %.0f "$hwm_kb / 1024")
big_ratio=$(calc %.2f "$rps_c_big / $rps_n")
echo "chancery on $big_articles articles: $rps_c_big req/s ($big_ratio of nginx on the $export_articles-article export); peak RSS $hwm_mb MB (target < 250)"

# --- 3. publishing one article ------------------------------------------
publish_run() { # DATA LABEL: prints the publish-latency line
	cp -r "$1" "$tmp/pub-$2"
	(cd "$root" && CHANCERY_BENCH_DATA=$tmp/pub-$2 CHANCERY_BENCH_PUBLISHES=$publishes \
		go test ./internal/publish -run '^TestPublishLatency$' -v -count=1 \
		-cpuprofile "$tmp/publish-$2.prof" -o "$tmp/publish.test") >"$tmp/publish-$2.log" 2>&1 ||
		{ cat "$tmp/publish-$2.log" >&2; fail "TestPublishLatency on $2"; }
	rm -rf "$tmp/pub-$2"
	grep -m1 '^publish-latency' "$tmp/publish-$2.log"
}
field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }
echo "== publishing on a copy of $small" >&2
pub_small=$(publish_run "$small" small)
echo "$pub_small"
echo "== publishing on a copy of $big" >&2
pub_big=$(publish_run "$big" big)
echo "$pub_big"
med_s=$(field median_ms "$pub_small")
med_b=$(field median_ms "$pub_big")
pub_ratio=$(calc %.2f "$med_b / $med_s")
echo "publish median ${med_s} ms (small) / ${med_b} ms (large): ratio $pub_ratio (target <= 1.5; median < 20 ms)"
pub_prof_note=
if [[ $profile == 1 ]] && awk "BEGIN { exit !($pub_ratio > 1.5 || $med_b >= 20 || $med_s >= 20) }"; then
	pub_prof_note=$(cd "$root" && go tool pprof -top -nodecount=25 "$tmp/publish.test" "$tmp/publish-big.prof" 2>/dev/null | sed -n '1,32p')
fi
export_prof_note=
if [[ $profile == 1 && -f $tmp/export.perf ]] && awk "BEGIN { exit !($render_ratio > 0.5) }"; then
	export_prof_note=$(perf_top "$tmp/export.perf")
fi

# --- results -------------------------------------------------------------
elapsed=$(($(date +%s) - script_start))
verdict() { awk "BEGIN { print ($1) ? \"met\" : \"missed\" }"; }
{
	echo "# Publishing figures (bench/publishing.sh)"
	echo
	echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC'), $elapsed s for the whole script."
	echo
	echo "$machine"
	echo
	echo "## Page throughput (wrk -t2 -c64 -d${duration}s, keep-alive, after a 5 s warm-up; median of $tput_rounds rounds, the servers in turns after a sync)"
	echo
	echo "1,000 article addresses of \`$host\` (both languages, spread over the site) in a cycle, \`Host: $host\`, \`Accept-Encoding: $accept\` for both (both answer brotli: $br_len_c bytes from chancery, $br_len_n from nginx for the first address)."
	echo "chancery serve: \`--page-memory\` default (64 MB), \`--public-scheme https --public-port 443\` so its pages match the export's. nginx: \`worker_processes auto\`, docs/nginx-export.conf with listen/server_name/root edited, \`access_log off\`, \`keepalive_requests 1000000\`."
	echo "Before measuring, $checked answers (10 addresses × identity, br, gzip) were compared: $mismatch differ."
	echo
	echo "| server | site | requests/s | latency p50 / p99 | ratio to nginx | target |"
	echo "| --- | --- | --- | --- | --- | --- |"
	echo "| nginx on the static export | $export_articles articles | $rps_n (${n_runs[*]}) | $lat_n | 1 | |"
	echo "| chancery serve | same $export_articles-article site | $rps_c_small (${c_runs[*]}) | $lat_c_small | $tput_ratio | ≥ 0.9: $(verdict "$tput_ratio >= 0.9") |"
	echo "| chancery serve | $big_articles articles ($(basename "$big")) | $rps_c_big | $lat_c_big | $big_ratio (nginx on the $export_articles-article export) | |"
	echo
	echo "Warm-up: each of the 1,000 addresses asked once, one at a time (chancery renders and stores a page on its first request): $cold_small s on the small site, $cold_big s on the large one; then 5 s of wrk, not counted."
	[[ -f $tmp/socket-errors ]] && echo "wrk socket errors (timeouts are answers slower than 2 s): $(tr '\n' ';' <"$tmp/socket-errors")"
	echo
	echo "Peak resident memory of chancery serve on $big_articles articles (VmHWM after the run): $hwm_mb MB — target < 250 MB: $(verdict "$hwm_mb < 250")."
	echo
	echo "## Full export versus Hugo ($export_articles-article bilingual site, medians of $export_runs and $runs runs)"
	echo
	echo "Each run writes a directory of its own after a \`sync\`, on $(df -T "$outd" | awk 'NR == 2 { print $2 }')$([[ -n ${OUT_DIR:-} ]] && echo " (OUT_DIR=$OUT_DIR)"); nothing is deleted until every run is done (see the script)."
	echo
	echo "| | runs (s) | median (s) | files | bytes | / hugo |"
	echo "| --- | --- | --- | --- | --- | --- |"
	echo "| \`chancery export\` from the page store (its pages rendered and kept by a first export, after serve marked the store: $fill_time s) | ${export_times[*]} | $export_med | $export_files | $export_bytes | **$export_ratio** |"
	echo "| \`chancery export --render-all ${EXPORT_FLAGS:-}\` (every page rendered, .gz and .br of each compressed) | ${render_times[*]} | $render_med | | | **$render_ratio** |"
	if [[ -n $brotli_alt ]]; then echo "| \`chancery export --render-all --brotli-quality $brotli_alt\` (one run) | $alt_time | | | | |"; fi
	echo "| \`cp -r\` of the finished export tree, then \`sync\`: the file system's floor for writing these files | $copy_time | | | | $(calc %.2f "$copy_time / $hugo_med") |"
	echo "| \`hugo\` (plain, no --minify, no compression; warm-up run untimed) | ${hugo_times[*]} | $hugo_med | $hugo_files | $hugo_bytes | 1 |"
	echo
	echo "Target ≤ 0.5 of Hugo: from the page store $(verdict "$export_ratio <= 0.5") ($export_ratio); rendering every page $(verdict "$render_ratio <= 0.5") ($render_ratio)."
	echo
	echo "## Publishing one article (TestPublishLatency, $publishes publishes, copies of the data)"
	echo
	echo "| site | articles | pages rendered | median (ms) | p99 (ms) |"
	echo "| --- | --- | --- | --- | --- |"
	echo "| $(basename "$small") | $(field articles "$pub_small") | $(field pages "$pub_small") | $med_s | $(field p99_ms "$pub_small") |"
	echo "| $(basename "$big") | $(field articles "$pub_big") | $(field pages "$pub_big") | $med_b | $(field p99_ms "$pub_big") |"
	echo
	echo "large/small median = $pub_ratio — target ≤ 1.5: $(verdict "$pub_ratio <= 1.5"); median < 20 ms: $(verdict "$med_b < 20 && $med_s < 20")."
	if [[ -n $serve_perf_note || -n $export_prof_note || -n $pub_prof_note ]]; then
		echo
		echo "## Profiles of missed targets"
	fi
	if [[ -n $export_prof_note ]]; then
		echo
		echo "chancery export --render-all, first run (perf record -F 99 -g; self time by symbol):"
		echo
		echo '```'
		echo "$export_prof_note"
		echo '```'
	fi
	if [[ -n $serve_perf_note ]]; then
		echo
		echo "chancery serve under wrk, 10 s (perf record -F 199 -g; self time by symbol):"
		echo
		echo '```'
		echo "$serve_perf_note"
		echo '```'
	fi
	if [[ -n $pub_prof_note ]]; then
		echo
		echo "TestPublishLatency on the large site (go test -cpuprofile; pprof -top):"
		echo
		echo '```'
		echo "$pub_prof_note"
		echo '```'
	fi
} >"$results"
echo
echo "== summary (whole script $elapsed s; figures in $results)"
echo "throughput chancery/nginx ($export_articles articles): $tput_ratio (target >= 0.9)"
echo "chancery serve on $big_articles articles: $rps_c_big req/s, peak RSS $hwm_mb MB (target < 250)"
echo "export/hugo ($export_articles articles): from the page store $export_ratio, rendering every page $render_ratio (target <= 0.5)"
echo "publish median small $med_s ms, large $med_b ms: ratio $pub_ratio (target <= 1.5, median < 20 ms)"
