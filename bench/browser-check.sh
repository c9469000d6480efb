#!/usr/bin/env bash
# The pages in a real browser: axe-core's accessibility rules (WCAG 2.1 A
# and AA, and best practices) inside Chromium on every kind of page of the
# demo network, which fail the check, and Lighthouse's four scores on the
# home and article pages, which are figures only (never a failure).
#
# Usage: bash bench/browser-check.sh [--scores FILE] [--desktop] [--runs N] [--no-lighthouse]
#
#   --scores FILE    also write Lighthouse's scores as a Markdown table to
#                    FILE (for bench/RESULTS.md)
#   --desktop        Lighthouse's desktop preset as well as its default
#                    (a mobile device with simulated throttling)
#   --runs N         run Lighthouse N times a page and keep the run of
#                    median performance (default 1; its performance score
#                    moves by several points from run to run on a busy
#                    machine, the Chinese pages most)
#   --no-lighthouse  axe only
#
# The pages, axe's tags and Lighthouse's categories are listed at the top of
# bench/browser/check.mjs. Exit status 1 when axe finds a violation or a
# page answers other than expected (a 404 where a 200 was expected is
# reported only: a page not built yet).
#
# Needs: go, node 20+ and npm, and Chromium (Debian's chromium, installed
# with apt-get when missing: run as root the first time). The npm packages
# pinned in bench/browser/package-lock.json are installed outside the
# repository, in ~/.cache/chancery-ci/browser-HASH (HASH of package.json and
# the lock file, so that a change installs afresh). No tool downloads a
# browser of its own. Touches only 127.0.0.1 and temporary directories it
# removes.
set -euo pipefail

scores=
check_args=()
while (($#)); do
	case $1 in
	--scores)
		[[ $# -ge 2 ]] || { echo "--scores needs a file" >&2; exit 2; }
		# check.mjs runs in another folder: make the path absolute.
		scores=$(realpath -m -- "$2")
		check_args+=(--scores "$scores")
		shift 2
		;;
	--runs)
		[[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "--runs needs a positive whole number" >&2; exit 2; }
		check_args+=(--runs "$2")
		shift 2
		;;
	--desktop | --no-lighthouse) check_args+=("$1"); shift ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
	esac
done

started=$(date +%s)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
chromium=/usr/bin/chromium

# Chromium from Debian (with the CJK fonts the Chinese pages need, or
# Lighthouse and axe judge boxes of tofu): never a browser downloaded by
# puppeteer or playwright, which cannot reach their CDN from CI.
need=()
[[ -x $chromium ]] || need+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'ok installed' || need+=(fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || need+=(npm)
if ((${#need[@]})); then
	echo "== installing ${need[*]} (apt)"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# The npm packages, exactly as locked, kept out of the repository. The
# versions are the newest that run on Node 20: lighthouse 13 and
# puppeteer-core 25 need Node 22, so lighthouse 12.8.2 with the
# puppeteer-core 24 and axe-core 4.11 it accepts (one copy of each).
# package.json's overrides pin two packages that lighthouse's trace engine
# asks for as "latest", which would make npm ci refuse the lock file each
# time they are published.
hash=$(cat "$here/browser/package.json" "$here/browser/package-lock.json" | sha256sum | cut -c1-12)
mods="${XDG_CACHE_HOME:-$HOME/.cache}/chancery-ci/browser-$hash"
if [[ ! -f $mods/.installed ]]; then
	echo "== installing axe-core, puppeteer-core and lighthouse (npm ci) in $mods"
	rm -rf "$mods"
	mkdir -p "$mods"
	cp "$here/browser/package.json" "$here/browser/package-lock.json" "$mods/"
	# PUPPETEER_SKIP_DOWNLOAD: belt and braces, puppeteer-core fetches nothing.
	(cd "$mods" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
	touch "$mods/.installed"
fi

# lib.sh builds chancery into $tmp, offers free_port and stop, and its
# trap stops the server and removes $tmp on exit; ours adds Chromium.
source "$here/lib.sh"
chromium_pid_file="$tmp/chromium.pid"
cleanup_browser() {
	# puppeteer closes Chromium when check.mjs ends, even on SIGINT; this is
	# for a check.mjs killed outright.
	if [[ -s $chromium_pid_file ]]; then
		kill -KILL "$(cat "$chromium_pid_file")" 2>/dev/null || true
	fi
	cleanup
}
trap cleanup_browser EXIT

port=$(free_port)
# Mail "on" (to a closed loopback port: the check sends nothing) so that
# the article pages link to the share form itself, not to mailto:.
"$tmp/chancery" serve --data "$tmp/data" --addr "127.0.0.1:$port" --search-rate 0 \
	--smtp-host 127.0.0.1 --smtp-port 9 --smtp-security none --smtp-from news@example.org >"$tmp/server.log" 2>&1 &
pid=$!
for _ in {1..600}; do
	[[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/healthz" || true) == 200 ]] && break
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "chancery serve exited:" >&2; cat "$tmp/server.log" >&2; exit 1
	fi
	sleep 0.05
done
[[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true) == 200 ]] || {
	echo "chancery serve did not answer /healthz in 30 s:" >&2; cat "$tmp/server.log" >&2; exit 1
}
echo "== chancery serve on 127.0.0.1:$port (demo network)"

# check.mjs resolves its packages from the folder it runs in: a copy of it
# next to a link to the installed node_modules.
mkdir "$tmp/check"
cp "$here/browser/check.mjs" "$tmp/check/"
ln -s "$mods/node_modules" "$tmp/check/node_modules"
rc=0
(cd "$tmp/check" && node check.mjs --port "$port" --chromium "$chromium" \
	--profile "$tmp/chromium-profile" --pid-file "$chromium_pid_file" \
	${check_args[@]+"${check_args[@]}"}) || rc=$?

if ! stop; then
	echo "chancery serve did not stop cleanly:" >&2; tail -n 20 "$tmp/server.log" >&2
	((rc)) || rc=1
fi
echo "== browser check done in $(($(date +%s) - started)) s (exit $rc)"
exit "$rc"
