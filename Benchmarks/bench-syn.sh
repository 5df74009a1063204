#!/usr/bin/env bash
# Issue 3's benchmark: a SYN scan of all 65,535 ports of one testbed host (50 open, 1,000 dropped, the
# rest closed), portgrid beside `nmap -n -Pn -sS -T4 -p-` on the same host in the same run.
# Prints both wall times, the ratio (target: portgrid >= 10x faster), both open sets and the closed and
# filtered counts. Needs root, iproute2, nftables, python3, nmap. PG_FLAGS adds portgrid flags (default -T4).
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require nmap
BIN=$(tb_build_release)
PG_FLAGS=${PG_FLAGS:--T4}
tb_up
tb_bench_tcp_host

echo "== SYN scan, all 65,535 ports of $TB_TARGET_ADDR: 50 open, 1,000 dropped, the rest closed"
# shellcheck disable=SC2086
tb_time t_pg tb_scan "$BIN" -sS -Pn -n -p- $PG_FLAGS --no-tui -oJ "$TB_WORK/portgrid.json" "$TB_TARGET_ADDR" >"$TB_WORK/portgrid.txt" \
    || echo "portgrid exited $?"
tb_time t_nmap tb_scan nmap -n -Pn -sS -T4 -p- -oX "$TB_WORK/nmap.xml" "$TB_TARGET_ADDR" >/dev/null
echo "portgrid -sS -p- $PG_FLAGS: ${t_pg} s"
echo "nmap -n -Pn -sS -T4 -p-: ${t_nmap} s"
echo "portgrid is $(tb_ratio "$t_pg" "$t_nmap")x faster (target >= 10x)"
python3 "$TB_DIR/compare.py" ports "$TB_WORK/portgrid.json" "$TB_WORK/nmap.xml" \
    --truth "open=$TB_BENCH_OPEN_TCP filtered=$TB_BENCH_DROPPED_TCP" --address "$TB_TARGET_ADDR" --proto tcp
