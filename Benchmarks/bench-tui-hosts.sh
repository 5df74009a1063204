#!/usr/bin/env bash
# Issue 12's TUI at scale: a ping sweep of 127.0.0.0/16 (every loopback address answers, so no testbed
# is needed) in the TUI in a 200x50 tmux pane, then the host list's keys, each timed from send-keys
# until the pane shows the key's effect (polled; so each figure includes one tmux capture, ~15-20 ms,
# and up to one frame of the 30-a-second render tick). Three rounds; prints every figure.
# Needs root (raw ICMP), tmux. PORTGRID_BIN to use a built binary.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require tmux
BIN=$(tb_build_release)
SESSION="pg-bench-hosts-$$"
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true' EXIT

line() { tmux capture-pane -p -t "$SESSION" | sed -n "$1p"; }
# $1 screen line, $2 pattern, the rest keys: milliseconds until line $1 matches $2 (timeout 5 s).
key_ms() {
    local row=$1 pattern=$2 start end
    shift 2
    start=$(date +%s%N)
    tmux send-keys -t "$SESSION" "$@"
    for _ in $(seq 1 500); do
        if line "$row" | grep -q -- "$pattern"; then
            end=$(date +%s%N)
            echo $(((end - start) / 1000000))
            return
        fi
    done
    echo "timeout"
}

echo "== TUI: ping sweep of 127.0.0.0/16 (65,536 hosts up), then the host list's keys"
start=$(date +%s%N)
tmux new-session -d -s "$SESSION" -x 200 -y 50 "$BIN -sn -n 127.0.0.0/16; sleep 300"
for _ in $(seq 1 3000); do line 2 | grep -q '^done' && break; sleep 0.01; done
end=$(date +%s%N)
echo "sweep shown done after $(((end - start) / 1000000)) ms (tmux start included)"
line 3 | grep -q 'hosts up 65536/65536' || { echo "not every host up:"; line 3; exit 1; }
# The grid has the focus at start; Shift-Tab moves it to the host list.
tmux send-keys -t "$SESSION" BTab
sleep 0.3
declare -A times
for round in 1 2 3; do
    # Line 49 describes the selected host.
    times[end]+=" $(key_ms 49 '^127.0.255.255 up' End)"
    times[home]+=" $(key_ms 49 '^127.0.0.0 up' Home)"
    times[down]+=" $(key_ms 49 '^127.0.0.1 up' Down)"
    tmux send-keys -t "$SESSION" Home
    times[open_search]+=" $(key_ms 50 'search hosts' /)"
    tmux send-keys -t "$SESSION" "127.0.200.7"
    sleep 0.2
    times[search]+=" $(key_ms 4 'Hosts 11 ' Enter)"
    times[clear_search]+=" $(key_ms 4 'Hosts 65536 ─' Escape)"
    times[sort_open]+=" $(key_ms 4 'by open ports' o)"
    times[sort_rtt]+=" $(key_ms 4 'by RTT' o)"
    times[sort_address]+=" $(key_ms 4 'Hosts 65536 ─' o)"
done
for name in end home down open_search search clear_search sort_open sort_rtt sort_address; do
    echo "$name:${times[$name]} ms"
done
echo "(target: each key under 50 ms of its own; the figures add a capture and up to a frame)"
