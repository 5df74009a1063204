#!/usr/bin/env bash
# The TUI's cost: the same scan once headless and once in the TUI, each in a new 200x50 tmux pane,
# timed until the pane shows it finished (the headless run's marker line; the TUI header's "done").
# WORK picks the scan: `connect` (default) all 65,535 ports of the benchmark host (50 open, 1,000
# dropped); `ping16` the ping sweep of 198.19.0.0/16 and `syn16` the SYN scan of its port 80, every
# address answering (issue 12's scale rows, "both in the TUI too").
# Prints both wall times, the ratio, and whether both runs found the same (each writes -oJ).
# Needs root, iproute2, nftables, python3, tmux. PG_FLAGS adds portgrid flags (default -T4).
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require tmux
BIN=$(tb_build_release)
PG_FLAGS=${PG_FLAGS:--T4}
SESSION="pg-bench-tui-$$"
WORK=${WORK:-connect}
tb_up
case "$WORK" in
    connect) tb_bench_tcp_host; SCAN="-sT -Pn -n -p- $PG_FLAGS $TB_TARGET_ADDR" ;;
    ping16) tb_local_block; SCAN="-sn -n $PG_FLAGS $TB_BLOCK" ;;
    syn16) tb_local_block; tb_responder --tcp 80; SCAN="-sS -Pn -n -p 80 $PG_FLAGS $TB_BLOCK" ;;
    *) tb_die "WORK is connect, ping16 or syn16, not $WORK" ;;
esac
stop_tmux() { tmux kill-session -t "$SESSION" 2>/dev/null || true; tb_down; }
trap stop_tmux EXIT

echo "== portgrid $SCAN: headless, then the TUI, both in a tmux pane"
# Both runs start the same way (a new detached 200x50 tmux pane) and are timed the same way (the pane
# polled every 20 ms), so tmux's own start-up and the polling cost both equally: the ratio is the TUI's.
# $1: variable to set; $2: command for the pane; $3: pattern on screen line $4 that means "finished".
time_in_pane() {
    local __var=$1 command=$2 pattern=$3 line=$4 start done_at=""
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    start=$(date +%s.%N)
    tmux new-session -d -s "$SESSION" -x 200 -y 50 "$command; sleep 30"
    for _ in $(seq 1 6000); do
        if tmux capture-pane -p -t "$SESSION" 2>/dev/null | sed -n "${line}p" | grep -q "$pattern"; then
            done_at=$(date +%s.%N)
            break
        fi
        sleep 0.02
    done
    [ -n "$done_at" ] || { tmux capture-pane -p -t "$SESSION" >&2 || true; tb_die "'$pattern' never showed (120 s)"; }
    printf -v "$__var" '%s' "$(python3 -c "print(f'{$done_at - $start:.3f}')")"
}

# Headless: the table goes to a file, then the pane's first line says so.
time_in_pane t_headless "ip netns exec $TB_SCAN /usr/bin/time -f %M -o $TB_WORK/rss-headless $BIN $SCAN --no-tui -oJ $TB_WORK/headless.json >/dev/null 2>&1; echo headless-finished" '^headless-finished' 1
# The TUI: the clock stops when its header's progress line reads "done".
time_in_pane t_tui "ip netns exec $TB_SCAN /usr/bin/time -f %M -o $TB_WORK/rss-tui $BIN $SCAN -oJ $TB_WORK/tui.json" '^done' 2
tmux send-keys -t "$SESSION" q
for _ in $(seq 1 500); do [ -s "$TB_WORK/tui.json" ] && [ -s "$TB_WORK/rss-tui" ] && break; sleep 0.02; done
# Peak RSS in MB from /usr/bin/time's %M (KB), "-" when it was not written.
peak_mb() { python3 -c "import sys; t = open(sys.argv[1]).read().split(); print(f'{int(t[-1]) / 1024:.1f}' if t and t[-1].isdigit() else '-')" "$1" 2>/dev/null || echo -; }

echo "headless: ${t_headless} s, peak RSS $(peak_mb "$TB_WORK/rss-headless") MB"
echo "TUI (to 'done'): ${t_tui} s, peak RSS $(peak_mb "$TB_WORK/rss-tui") MB"
echo "TUI / headless: $(tb_ratio "$t_headless" "$t_tui")"
python3 - "$TB_WORK/headless.json" "$TB_WORK/tui.json" <<'PY'
import json, sys
def found(path):
    doc = json.load(open(path))
    up = {h["address"] for h in doc["hosts"] if h["status"] == "up"}
    return up, {(h["address"], p["port"]) for h in doc["hosts"] for p in h["ports"] if p["state"] == "open"}
(up_a, a), (up_b, b) = found(sys.argv[1]), found(sys.argv[2])
print(f"headless: {len(up_a)} up, {len(a)} open; TUI: {len(up_b)} up, {len(b)} open; "
      f"the same: {'yes' if (up_a, a) == (up_b, b) else 'NO'}")
sys.exit(0 if (up_a, a) == (up_b, b) else 2)
PY
