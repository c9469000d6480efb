#!/usr/bin/env bash
# The back office's figures (issue #3): an editor saving a revision and
# publishing it, on a site of 10,000 articles (English and Chinese), each
# step timed on its own:
#   - saving a change to a draft, then publishing the draft;
#   - saving an edition of a live article, then publishing the edition.
#
# Usage: bash bench/backoffice.sh [RUNS]     (default 5)
#
# Runs BenchmarkSaveAndPublish (internal/editorial/bench_test.go) RUNS
# times (go test -count), ROUNDS rounds a run (default 200), on one copy
# of the network per engine (the runs of a step share it, each round on a
# new draft or another live article), and prints the median over the runs
# of each run's median and 99th percentile per step, then where the CPU
# time of each step goes (a CPU profile of all the runs, one step at a
# time by its profiler label). The network is made once by chancery bench-data
# into .bench/backoffice-10000 and reused; set BENCH_DATA to use another
# data directory. With CHANCERY_TEST_POSTGRES set (a server whose user may
# create databases), the same runs on a fresh PostgreSQL database holding
# a copy of the network (about 35 s to copy, once).
#
# Needs go, awk and a free disk of about 1 GB. Touches nothing outside
# .bench/ and a temporary directory it removes.
set -euo pipefail
export LC_ALL=C # the migrations' order in a glob, and awk's numbers

runs=${1:-5}
rounds=${ROUNDS:-200}
if ! [[ $runs =~ ^[1-9][0-9]*$ && $rounds =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: [ROUNDS=N] $0 [RUNS]  (positive whole numbers)" >&2
	exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
data=${BENCH_DATA:-$root/.bench/backoffice-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$data.partial"' EXIT

# The network is stamped with the SQLite migrations it was made under (as
# the benchmark does for its own cache): one made before a migration was
# edited in place would fail at the first missing column, so it is made
# again. A BENCH_DATA directory is only warned about.
stamp=$(cat internal/store/sqlite/migrations/*.sql | sha256sum | cut -d' ' -f1)
if [[ -f $data/chancery.db && $(cat "$data/schema.sha256" 2>/dev/null) != "$stamp" ]]; then
	if [[ -n ${BENCH_DATA:-} ]]; then
		echo "warning: $data may have been made under other migrations (no matching schema.sha256)" >&2
	else
		echo "== $data was made under other migrations: making it again" >&2
		rm -rf "$data"
	fi
fi
if [[ ! -f $data/chancery.db ]]; then
	echo "== generating 10000 articles into $data (once)" >&2
	rm -rf "$data.partial"
	mkdir -p "$(dirname "$data")"
	go run ./cmd/chancery bench-data --articles 10000 --data "$data.partial" >&2
	printf '%s' "$stamp" >"$data.partial/schema.sha256"
	mv "$data.partial" "$data"
fi

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
engines=SQLite
[[ -n ${CHANCERY_TEST_POSTGRES:-} ]] && engines="SQLite and PostgreSQL ($(psql "$CHANCERY_TEST_POSTGRES" -Atc 'SHOW server_version' 2>/dev/null || echo '?'))"
cat <<EOF
| | |
| --- | --- |
| CPUs (\`nproc\`) | $(nproc) |
| CPU (\`grep 'model name' /proc/cpuinfo\`) | ${cpu:-unknown} |
| memory (\`free -h\`) | $(free -h | awk '/^Mem:/ { print $2 }') |
| kernel | $(uname -sr) |
| Go | $(go version | cut -d' ' -f3-) |
| engines | $engines |
| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |
| started | $(date -u '+%Y-%m-%d %H:%M UTC') |

EOF

echo "== $runs runs of $rounds rounds: go test -run '^\$' -bench SaveAndPublish -benchtime ${rounds}x -count $runs" >&2
CHANCERY_BENCH_DATA=$data go test -run '^$' -bench SaveAndPublish -benchtime "${rounds}x" -count "$runs" -timeout 2h \
	-cpuprofile "$tmp/cpu.prof" -o "$tmp/editorial.test" ./internal/editorial | tee "$tmp/bench.txt" >&2

# The median over the runs of each benchmark's metric, and the range.
summary() { # benchmark (engine/flow), metric unit
	awk -v b="BenchmarkSaveAndPublish/$1" -v m="$2" '
		$1 ~ "^"b"(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i+1) == m) v[n++] = $i }
		END {
			if (n == 0) { print "—"; exit }
			for (i = 1; i < n; i++) for (j = i; j > 0 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
			med = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2
			printf "%.2f (%.2f–%.2f)", med, v[0], v[n - 1]
		}' "$tmp/bench.txt"
}
echo
echo "Median over $runs runs of each run's figure (ms; the runs' lowest–highest in brackets), $rounds rounds a run:"
echo
echo "| engine | step | median | p99 |"
echo "| --- | --- | --- | --- |"
for e in sqlite postgres; do
	grep -q "^BenchmarkSaveAndPublish/$e/" "$tmp/bench.txt" || continue
	for flow in draft edition; do
		for step in save publish; do
			echo "| $e | $flow $step | $(summary "$e/$flow" "$step-p50-ms") | $(summary "$e/$flow" "$step-p99-ms") |"
		done
	done
done

# Where each step's CPU time goes: the cumulative time of a few functions
# among the samples of the step's label, as a share of the step's (they
# overlap: reading the sections prepares a statement, for one). Writing
# the article row includes updating its search index; on SQLite, FTS5
# keeps the new index rows pending and writes them out (FTS5 flush) at a
# later statement of the transaction.
echo
echo "CPU profile of all the runs, by step (share of the step's CPU time; the garbage collector's background work is not counted in any step):"
echo
echo "| step | CPU per round (mean) | pages rendered | of which the home page | compression (gzip, brotli) | preparing SQL statements | commit | Markdown | reading the site's sections | writing the article row | FTS5 flush |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
total_rounds=$((runs * (rounds + 4))) # with the 4 warm-up rounds of each run
for e in sqlite postgres; do
	for step in draft-save draft-publish edition-save edition-publish; do
		go tool pprof -top -cum -nodecount=100000 -unit=ms -tagfocus="step=^$e/$step\$" "$tmp/editorial.test" "$tmp/cpu.prof" 2>/dev/null >"$tmp/top" || continue
		awk -v step="$e $step" -v r="$total_rounds" '
			function ms(s) { sub(/ms$/, "", s); return s + 0 }
			$6 == "chancery/internal/editorial_test.timed.func1" { total = ms($4) }
			$6 == "chancery/internal/publish.render" { render = ms($4) }
			$6 == "chancery/internal/site.(*Handler).home" { home = ms($4) }
			$6 == "chancery/internal/publish.compress" { comp = ms($4) }
			$6 == "database/sql.(*Tx).PrepareContext" { prep = ms($4) }
			$6 == "database/sql.(*Tx).Commit" { commit = ms($4) }
			$6 == "chancery/internal/markup.Render" { md = ms($4) }
			$6 ~ /^chancery\/internal\/store\/[a-z]+\.queries\.Sections$/ { secs = ms($4) }
			$6 ~ /^chancery\/internal\/store\/[a-z]+\.queries\.UpdateArticle$/ { upd = ms($4) }
			$6 == "modernc.org/sqlite/lib._sqlite3Fts5FlushToDisk" { fts = ms($4) }
			END {
				if (total == 0) exit
				printf "| %s | %.1f ms | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% |\n", step, total / r,
					100 * render / total, 100 * home / total, 100 * comp / total, 100 * prep / total, 100 * commit / total, 100 * md / total,
					100 * secs / total, 100 * upd / total, 100 * fts / total
			}' "$tmp/top"
	done
done
echo
echo "The whole profile: go tool pprof -top -tagfocus=step=sqlite/draft-publish (kept in $root/.bench/backoffice.prof)" >&2
cp "$tmp/cpu.prof" "$root/.bench/backoffice.prof"
cp "$tmp/editorial.test" "$root/.bench/backoffice.test"
