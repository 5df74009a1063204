#!/usr/bin/env bash
# Issue 12's scale benchmark: a ping sweep of a /16 where every address answers (a local route in the
# target namespace), portgrid -sn beside `nmap -n -sn` in the same run. Prints wall time and peak RSS
# of each and both up counts. Needs root, iproute2, nftables, python3, nmap.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require nmap
BIN=$(tb_build_release)
tb_up
tb_local_block

echo "== ping sweep of $TB_BLOCK: every address up"
tb_time t_pg tb_scan "$BIN" -sn -n --no-tui -oJ "$TB_WORK/portgrid.json" "$TB_BLOCK" >"$TB_WORK/portgrid.txt" \
    || echo "portgrid exited $?"
tb_time t_nmap tb_scan nmap -n -sn -oX "$TB_WORK/nmap.xml" "$TB_BLOCK" >/dev/null
echo "portgrid -sn -n: ${t_pg} s, peak RSS ${t_pg_mb} MB"
echo "nmap -n -sn: ${t_nmap} s, peak RSS ${t_nmap_mb} MB"
echo "portgrid is $(tb_ratio "$t_pg" "$t_nmap")x faster (target: at most 1.5 s; peak RSS at most nmap's)"
python3 "$TB_DIR/compare.py" hosts "$TB_WORK/portgrid.json" "$TB_WORK/nmap.xml"
