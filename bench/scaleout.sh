#!/usr/bin/env bash
# Scale-out figures (issue 8), side by side in one run on the same
# generated site (chancery bench-data, the same articles on both engines):
#   1. article page throughput with wrk (64 connections, keep-alive, 2
#      threads, a cycle of 1,000 article addresses): one chancery serve on
#      SQLite, one on PostgreSQL, and two on PostgreSQL behind nginx
#      (round-robin, keep-alive to both);
#   2. publish-to-visible latency across processes: chancery publish
#      --withdraw, run as its own process, against the two servers on
#      PostgreSQL, each polled until it shows the withdrawal; median and
#      99th percentile, counted from the end of the publish command (its
#      commit is before that) to the page changing.
#
# Usage: bash bench/scaleout.sh [RESULTS.md]   (default /tmp/scaleout-results.md)
# Environment (defaults in brackets):
#   ARTICLES      articles of the generated site                     [10000]
#   DURATION      seconds of each wrk measurement (after 5 s warm-up)  [20]
#   PUBLISHES     publishes timed                                      [100]
#   PG_ADMIN_URL  a PostgreSQL URL allowed to create and drop a database
#                 [postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable]
# Needs go, python3, psql, and the Debian packages wrk and nginx (or
# nginx-light); missing packages are installed with apt-get when run as
# root.
set -euo pipefail
results=${1:-/tmp/scaleout-results.md}
script_start=$(date +%s)

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" # root, tmp (removed on exit), $tmp/chancery, free_port
bin=$tmp/chancery
articles=${ARTICLES:-10000}
duration=${DURATION:-20}
publishes=${PUBLISHES:-100}
admin=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
host=bench.localhost
accept='gzip, br'

fail() {
	echo "scaleout.sh: $*" >&2
	exit 1
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
command -v psql >/dev/null || need+=(postgresql-client)
if ((${#need[@]})); then
	[[ $(id -u) == 0 ]] || fail "missing: ${need[*]} (apt-get install them)"
	apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
		{ apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
fi
psql "$admin" -Atc 'SELECT 1' >/dev/null || fail "cannot reach PostgreSQL at $admin (set PG_ADMIN_URL)"

# Every background process is stopped, and the database dropped, on exit.
bg_pids=()
dbname=chancery_bench_$$
stop_all() {
	local p
	for p in "${bg_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${bg_pids[@]}"; do wait "$p" 2>/dev/null || true; done
	bg_pids=()
	psql "$admin" -qc "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" >/dev/null 2>&1 || true
}
trap 'stop_all; cleanup' EXIT
trap 'exit 1' HUP INT PIPE TERM

pg_url=$(python3 -c "
import sys, urllib.parse as u
p = u.urlsplit(sys.argv[1])
print(u.urlunsplit(p._replace(path='/' + sys.argv[2])))" "$admin" "$dbname")

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
machine="| CPUs (\`nproc\`) | $(nproc) |
| CPU | ${cpu:-unknown} |
| memory | $(free -h | awk '/^Mem:/ { print $2 }') |
| kernel | $(uname -sr) |
| Go | $(go version | cut -d' ' -f3-) |
| PostgreSQL | $(psql "$admin" -Atc 'SHOW server_version') |
| nginx | $(nginx -v 2>&1 | sed 's/^nginx version: //') |
| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"

echo "== generating $articles articles in SQLite and in PostgreSQL ($dbname)" >&2
"$bin" bench-data --articles "$articles" --data "$tmp/sqlite" >/dev/null
psql "$admin" -qc "CREATE DATABASE $dbname" >/dev/null
"$bin" bench-data --articles "$articles" --db "$pg_url" >/dev/null

python3 - "$tmp/sqlite/chancery.db" >"$tmp/paths" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
rows = [r[0] for r in db.execute(
    "SELECT a.path FROM articles a JOIN sites s ON s.id = a.site_id "
    "WHERE s.key = 'bench' AND a.status = 'published' ORDER BY a.id")]
step = max(1, len(rows) // 1000)
for p in rows[::step][:1000]:
    print(p)
PY
[[ $(wc -l <"$tmp/paths") -ge 1000 ]] || fail "fewer than 1,000 articles"

wrk_run() { # PORT SECONDS: prints requests/s and p99, fails on non-2xx
	local out
	out=$(WRK_PATHS=$tmp/paths WRK_HOST=$host WRK_ACCEPT=$accept \
		wrk -t2 -c64 -d"${2}s" --latency -s "$root/bench/wrk-mix.lua" "http://127.0.0.1:$1/")
	grep -q 'Non-2xx' <<<"$out" && { echo "$out" >&2; fail "wrk on port $1: non-2xx answers"; }
	awk '/^Requests\/sec:/ { r = $2 } /^ +99%/ { p = $2 } END { print r " " p }' <<<"$out"
}
warm() { # PORT: every address once, then 5 s of wrk
	while read -r p; do
		curl -fs -o /dev/null -H "Host: $host" -H "Accept-Encoding: $accept" "http://127.0.0.1:$1$p" || fail "warm-up: $p on port $1"
	done <"$tmp/paths"
	wrk_run "$1" 5 >/dev/null
}
wait_http() {
	for _ in {1..1200}; do
		curl -fs -o /dev/null -H "Host: $host" "http://127.0.0.1:$1/en/" && return 0
		sleep 0.1
	done
	fail "nothing answers on port $1"
}
serve() { # PORT ARGS...: starts chancery serve, sets last_pid
	local port=$1
	shift
	"$bin" serve --addr "127.0.0.1:$port" --demo=false --search-rate 0 "$@" >>"$tmp/serve.log" 2>&1 &
	last_pid=$!
	bg_pids+=("$last_pid")
	wait_http "$port"
}

echo "== one process on SQLite" >&2
p_sqlite=$(free_port)
serve "$p_sqlite" --data "$tmp/sqlite"
warm "$p_sqlite"
read -r rps_sqlite p99_sqlite < <(wrk_run "$p_sqlite" "$duration")
kill -TERM "$last_pid"
wait "$last_pid" || true

echo "== one process on PostgreSQL" >&2
p_pg1=$(free_port)
serve "$p_pg1" --db "$pg_url"
pid_pg1=$last_pid
warm "$p_pg1"
read -r rps_pg1 p99_pg1 < <(wrk_run "$p_pg1" "$duration")

echo "== two processes on PostgreSQL behind nginx (round-robin)" >&2
p_pg2=$(free_port)
serve "$p_pg2" --db "$pg_url"
warm "$p_pg2"
p_lb=$(free_port)
mkdir -p "$tmp/nginx/temp"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx/temp/body;
    proxy_temp_path $tmp/nginx/temp/proxy;
    fastcgi_temp_path $tmp/nginx/temp/fastcgi;
    uwsgi_temp_path $tmp/nginx/temp/uwsgi;
    scgi_temp_path $tmp/nginx/temp/scgi;
    upstream chancery {
        server 127.0.0.1:$p_pg1;
        server 127.0.0.1:$p_pg2;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$p_lb;
        keepalive_requests 1000000;
        location / {
            proxy_pass http://chancery;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_buffering off;
        }
    }
}
EOF
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
bg_pids+=($!)
wait_http "$p_lb"
wrk_run "$p_lb" 5 >/dev/null
read -r rps_pg2 p99_pg2 < <(wrk_run "$p_lb" "$duration")

echo "== publish to visible, $publishes publishes" >&2
psql "$pg_url" -Atc "SELECT a.id, a.path FROM articles a JOIN site_hosts h ON h.site_id = a.site_id
	WHERE h.host = '$host' AND a.status = 'published' ORDER BY a.id DESC LIMIT $publishes" >"$tmp/targets"
python3 - "$bin" "$pg_url" "$host" "$p_pg1" "$p_pg2" "$tmp/targets" >"$tmp/latency" <<'PY'
import http.client, subprocess, sys, time
bin_, url, host, p1, p2, targets = sys.argv[1:]
notice = b'<p class="notice" role="note">'
conns = {p: http.client.HTTPConnection("127.0.0.1", int(p), timeout=10) for p in (p1, p2)}
def page(p, path):
    c = conns[p]
    c.request("GET", path, headers={"Host": host})
    r = c.getresponse()
    return r.read()
for line in open(targets):
    aid, path = line.strip().split("|", 1)
    for p in conns:  # in each process's memory first
        page(p, path); page(p, path)
    subprocess.run([bin_, "publish", aid, "--withdraw", "--reason", "Issued in error.", "--db", url], check=True, stdout=subprocess.DEVNULL)
    done = time.monotonic()
    for p in conns:
        while notice not in page(p, path):
            if time.monotonic() - done > 30:
                sys.exit(f"process on port {p} never showed the withdrawal of {path}")
        print(f"{(time.monotonic() - done) * 1000:.2f}")
PY
read -r lat_med lat_p99 lat_max < <(sort -g "$tmp/latency" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)], a[int(NR * 0.99 + 0.999)], a[NR] }')
n_lat=$(wc -l <"$tmp/latency")
stop_all

elapsed=$(($(date +%s) - script_start))
ratio_pg1=$(calc %.2f "$rps_pg1 / $rps_sqlite")
ratio_pg2=$(calc %.2f "$rps_pg2 / $rps_sqlite")
{
	echo "# Scale-out figures (bench/scaleout.sh)"
	echo
	echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC'), $elapsed s for the whole script; $articles articles generated by \`chancery bench-data\` in each engine."
	echo
	echo "| | |"
	echo "| --- | --- |"
	echo "$machine"
	echo
	echo "| article pages (wrk -t2 -c64 -d${duration}s, 1,000 addresses, \`Accept-Encoding: $accept\`) | requests/s | p99 | / SQLite |"
	echo "| --- | --- | --- | --- |"
	echo "| one chancery serve, SQLite | $rps_sqlite | $p99_sqlite | 1 |"
	echo "| one chancery serve, PostgreSQL | $rps_pg1 | $p99_pg1 | $ratio_pg1 |"
	echo "| two chancery serve on PostgreSQL behind nginx (round-robin) | $rps_pg2 | $p99_pg2 | $ratio_pg2 |"
	echo
	echo "Publish to visible across processes ($n_lat observations: $publishes \`chancery publish --withdraw\` runs × 2 servers, from the command's end to the page showing the withdrawal, polled without pause): median **$lat_med ms**, p99 **$lat_p99 ms**, max $lat_max ms."
} >"$results"
cat "$results"
