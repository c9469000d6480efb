#!/usr/bin/env bash
# Start-up time of `chancery serve` on an empty data directory, to the first
# page served. The budget is one second.
#
# Usage: bash bench/startup.sh [RUNS]     (RUNS defaults to 10)
#
# Each run makes a fresh empty data directory, starts the server on a free
# loopback port (so start-up includes creating the database and loading the
# demo network), and polls GET /en/ on host un.localhost every ~5 ms until
# it answers 200. The time is from just before the process starts to that
# answer. Then the server is stopped with SIGINT and waited for.
#
# Needs: go (to build), bash (its /dev/tcp finds a free port), curl, and
# date with %N (GNU coreutils). Touches only 127.0.0.1 and a temporary
# directory it removes.
set -euo pipefail

runs=${1:-10}
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: $0 [RUNS]  (RUNS a positive whole number)" >&2
	exit 2
fi
budget_ms=1000
timeout_ms=30000

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

now_ns() { date +%s%N; }

times=()
for ((i = 1; i <= runs; i++)); do
	data="$tmp/data-$i"
	port=$(free_port)
	start=$(now_ns)
	"$tmp/chancery" serve --data "$data" --addr "127.0.0.1:$port" >"$tmp/out-$i.log" 2>&1 &
	pid=$!
	code=000
	while :; do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'Host: un.localhost' "http://127.0.0.1:$port/en/" || true)
		[[ $code == 200 ]] && break
		elapsed=$((($(now_ns) - start) / 1000000))
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "run $i: the server exited before answering; its output:" >&2
			cat "$tmp/out-$i.log" >&2
			pid=
			exit 1
		fi
		if ((elapsed > timeout_ms)); then
			echo "run $i: no 200 from http://127.0.0.1:$port/en/ within $((timeout_ms / 1000)) s (last status $code)" >&2
			exit 1
		fi
		sleep 0.005
	done
	ms=$((($(now_ns) - start) / 1000000))
	stop || {
		echo "run $i: the server did not exit cleanly on SIGINT; its output:" >&2
		cat "$tmp/out-$i.log" >&2
		exit 1
	}
	rm -rf "$data"
	times+=("$ms")
	printf 'run %2d: %5d ms\n' "$i" "$ms"
done

mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
n=${#sorted[@]}
min=${sorted[0]}
max=${sorted[n - 1]}
if ((n % 2)); then
	median=${sorted[n / 2]}
else
	median=$(((sorted[n / 2 - 1] + sorted[n / 2]) / 2))
fi
# ratio prints a/b with two decimals, rounded.
ratio() { local r=$((($1 * 100 + $2 / 2) / $2)); printf '%d.%02d' $((r / 100)) $((r % 100)); }
echo
echo "runs: $n"
echo "min: $min ms  median: $median ms  max: $max ms"
echo "median / budget: $median / $budget_ms ms = $(ratio "$median" "$budget_ms")"
echo "max / budget: $max / $budget_ms ms = $(ratio "$max" "$budget_ms")"
