#!/usr/bin/env bash
# Issue 12's stealth benchmark: a FIN scan (or -sN/-sX: FLAG=-sN) of all 65,535 ports of the bench host
# (50 open, 1,000 dropped) with 50 more ports rejected with ICMP admin-prohibited, under the target
# kernel's default ICMP rate limits (a burst of six, then about one error a second), portgrid beside
# `nmap -n -Pn -sF -T4 -p-` in the same run. Prints wall time and peak RSS of each and checks both
# against the testbed's truth (open and dropped: open|filtered; rejected: filtered; the rest closed).
# Needs root, iproute2, nftables, python3, nmap. PG_FLAGS adds portgrid flags (default -T4).
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require nmap
BIN=$(tb_build_release)
flag=${FLAG:--sF}
pg_flags=${PG_FLAGS:--T4}
REJECTED=30000-30049
tb_up
tb_icmp_limits default
tb_firewall <<RULES
tcp dport { $TB_BENCH_DROPPED_TCP } drop
tcp dport { $REJECTED } reject with icmp type admin-prohibited
RULES
tb_responder --tcp "$TB_BENCH_OPEN_TCP"

echo "== $flag scan, all 65,535 ports of $TB_TARGET_ADDR: 50 open, 1,000 dropped, 50 rejected (ICMP rate-limited)"
# shellcheck disable=SC2086
tb_time t_pg tb_scan "$BIN" "$flag" -Pn -n -p- $pg_flags --no-tui -oJ "$TB_WORK/portgrid.json" "$TB_TARGET_ADDR" >"$TB_WORK/portgrid.txt" \
    || echo "portgrid exited $?"
# The target's limiter refills between the runs, so each starts with a full bucket.
sleep 8
tb_time t_nmap tb_scan nmap -n -Pn "$flag" -T4 -p- -oX "$TB_WORK/nmap.xml" "$TB_TARGET_ADDR" >/dev/null
echo "portgrid $flag -p- $pg_flags: ${t_pg} s, peak RSS ${t_pg_mb} MB"
echo "nmap -n -Pn $flag -T4 -p-: ${t_nmap} s, peak RSS ${t_nmap_mb} MB"
echo "portgrid is $(tb_ratio "$t_pg" "$t_nmap")x faster"
python3 "$TB_DIR/compare.py" ports "$TB_WORK/portgrid.json" "$TB_WORK/nmap.xml" \
    --truth "open|filtered=$TB_BENCH_OPEN_TCP,$TB_BENCH_DROPPED_TCP filtered=$REJECTED" --address "$TB_TARGET_ADDR" --proto tcp
