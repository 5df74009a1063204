#!/usr/bin/env bash
# Issue 3's UDP benchmark: 100 UDP ports of one testbed host, portgrid -sU beside `nmap -n -Pn -sU` in
# the same run: a DNS server and 10 echo responders (open), 10 bound-but-silent and 10 dropped
# (open|filtered), 5 rejected admin-prohibited (filtered), 64 unbound (closed).
# Two rounds: with the target's ICMP rate limits lifted (both scanners can be exact: same states
# expected), then with the kernel's defaults (about one port-unreachable a second after a burst of
# six, as a real Linux host): there a truthful answer takes about a minute for 64 closed ports, and
# each report is checked against what the testbed really holds, not against the other.
# Prints both wall times and ratios (target: portgrid no slower) and the states. ROUNDS="default" or
# "deterministic" runs one round only.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require nmap
BIN=$(tb_build_release)
PORTS="53,5000-5009,6000-6009,6100-6109,6200-6204,6300-6363"
TRUTH="open=53,5000-5009 open|filtered=6000-6009,6100-6109 filtered=6200-6204 closed=6300-6363"
tb_up
tb_firewall <<'RULES'
udp dport { 6100-6109 } drop
udp dport { 6200-6204 } reject with icmp type admin-prohibited
RULES
tb_responder --udp-dns 53 --udp-echo 5000-5009 --udp-silent 6000-6009

status=0
for limits in ${ROUNDS:-deterministic default}; do
    tb_icmp_limits "$limits"
    echo "== UDP scan of 100 ports of $TB_TARGET_ADDR, target ICMP rate limits: $limits"
    tb_time t_pg tb_scan "$BIN" -sU -Pn -n -p "$PORTS" --no-tui -oJ "$TB_WORK/portgrid-$limits.json" "$TB_TARGET_ADDR" \
        >/dev/null || echo "portgrid exited $?"
    tb_time t_nmap tb_scan nmap -n -Pn -sU -p "$PORTS" -oX "$TB_WORK/nmap-$limits.xml" "$TB_TARGET_ADDR" >/dev/null
    echo "portgrid -sU: ${t_pg} s, peak RSS ${t_pg_mb} MB"
    echo "nmap -n -Pn -sU: ${t_nmap} s, peak RSS ${t_nmap_mb} MB"
    echo "portgrid is $(tb_ratio "$t_pg" "$t_nmap")x faster (target >= 1x)"
    python3 "$TB_DIR/compare.py" ports "$TB_WORK/portgrid-$limits.json" "$TB_WORK/nmap-$limits.xml" \
        --truth "$TRUTH" --address "$TB_TARGET_ADDR" --proto udp || status=$?
done
exit "$status"
