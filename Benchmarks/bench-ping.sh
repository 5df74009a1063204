#!/usr/bin/env bash
# Issue 3's ping-sweep benchmark: a /24 with a few live hosts, portgrid -sn beside `nmap -n -sn` in the
# same run. The other addresses have no host at all (no ARP answer). Prints both wall times, the ratio
# and both up sets (target: faster, same up set). Needs root, iproute2, nftables, python3, nmap.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require nmap
BIN=$(tb_build_release)
LIVE=(198.18.0.17 198.18.0.100 198.18.0.201)
tb_up
tb_add_target "${LIVE[@]}"

echo "== ping sweep of 198.18.0.0/24: live $TB_SCANNER_ADDR (the scanner), $TB_TARGET_ADDR ${LIVE[*]}"
tb_time t_pg tb_scan "$BIN" -sn -n --no-tui -oJ "$TB_WORK/portgrid.json" 198.18.0.0/24 >"$TB_WORK/portgrid.txt" \
    || echo "portgrid exited $?"
tb_time t_nmap tb_scan nmap -n -sn -oX "$TB_WORK/nmap.xml" 198.18.0.0/24 >/dev/null
echo "portgrid -sn -n: ${t_pg} s, peak RSS ${t_pg_mb} MB"
echo "nmap -n -sn: ${t_nmap} s, peak RSS ${t_nmap_mb} MB"
echo "portgrid is $(tb_ratio "$t_pg" "$t_nmap")x faster (target > 1x)"
python3 "$TB_DIR/compare.py" hosts "$TB_WORK/portgrid.json" "$TB_WORK/nmap.xml"
