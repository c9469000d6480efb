# Shared by the bench scripts: sourced, not run. It sets root (the
# repository) and tmp (a directory removed on exit), builds chancery into
# $tmp/chancery, and offers stop (the server whose PID is in $pid) and
# free_port.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tmp=$(mktemp -d)
pid=
# stop sends the server a signal (default SIGINT), kills it if it is still
# running 20 s later, and returns its exit status. A job started in the
# background by a script ignores SIGINT until chancery's handler is set, so
# the clean-up of an interrupted run sends SIGTERM.
stop() {
	kill -"${1:-INT}" "$pid" 2>/dev/null || true
	for _ in {1..400}; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null || true
	local rc=0
	wait "$pid" || rc=$?
	pid=
	return "$rc"
}
cleanup() {
	if [[ -n $pid ]]; then
		stop TERM 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

# free_port prints a loopback port nothing is listening on, below the
# range the kernel hands to outgoing connections (curl's, lingering in
# TIME-WAIT, would make the server's listen fail).
free_port() {
	local port low=32768
	[[ -r /proc/sys/net/ipv4/ip_local_port_range ]] && read -r low _ </proc/sys/net/ipv4/ip_local_port_range
	((low > 11000)) || low=32768
	for _ in {1..100}; do
		port=$((10000 + RANDOM % (low - 10000)))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
	echo "no free loopback port found" >&2
	return 1
}

echo "building chancery..." >&2
(cd "$root" && go build -o "$tmp/chancery" ./cmd/chancery)
