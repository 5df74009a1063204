#!/usr/bin/env bash
# Issue 12's scale benchmark: a SYN scan of one port over a /16 where every address answers (a local
# route in the target namespace, a listener on port 80 bound to any address: 65,536 open), portgrid
# beside `nmap -n -Pn -sS -T4 -p 80` in the same run. Prints wall time and peak RSS of each, and
# whether every (host, port) got the same state. Needs root, iproute2, nftables, python3, nmap.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require nmap
BIN=$(tb_build_release)
pg_flags=${PG_FLAGS:--T4}
tb_up
tb_local_block
tb_responder --tcp 80

echo "== SYN scan of port 80 over $TB_BLOCK: every address open"
# shellcheck disable=SC2086
tb_time t_pg tb_scan "$BIN" -sS -Pn -n -p 80 $pg_flags --no-tui -oJ "$TB_WORK/portgrid.json" "$TB_BLOCK" >"$TB_WORK/portgrid.txt" \
    || echo "portgrid exited $?"
tb_time t_nmap tb_scan nmap -n -Pn -sS -T4 -p 80 -oX "$TB_WORK/nmap.xml" "$TB_BLOCK" >/dev/null
echo "portgrid -sS -p 80 $pg_flags: ${t_pg} s, peak RSS ${t_pg_mb} MB"
echo "nmap -n -Pn -sS -T4 -p 80: ${t_nmap} s, peak RSS ${t_nmap_mb} MB"
echo "portgrid is $(tb_ratio "$t_pg" "$t_nmap")x faster (target: at most 1.5 s, all found; peak RSS at most nmap's)"
python3 "$TB_DIR/compare.py" sweep "$TB_WORK/portgrid.json" "$TB_WORK/nmap.xml"
