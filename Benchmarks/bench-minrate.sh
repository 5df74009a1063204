#!/usr/bin/env bash
# Issue 13's --min-rate benchmark: 300 closed UDP ports of one testbed host whose ICMP errors the
# kernel rate-limits as a real Linux host does (about one port-unreachable a second after a burst of
# six). Paced to that limiter a truthful scan takes minutes; with --min-rate the floor holds the
# scan at the rate asked for, as nmap's does (and, as in nmap, ports the limiter left unanswered
# read open|filtered). Runs portgrid and nmap with the same flags one after the other; prints each
# wall time and the states each found.
# PORTGRID_BIN skips the release build; RATE (default 200) is the floor.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require nmap
BIN=${PORTGRID_BIN:-$(tb_build_release)}
RATE=${RATE:-200}
PORTS="7000-7299"
tb_up
tb_icmp_limits default

echo "== UDP scan of 300 closed ports of $TB_TARGET_ADDR, kernel ICMP limits, --min-rate $RATE --max-retries 1"
tb_time t_pg tb_scan "$BIN" -sU -Pn -n --max-retries 1 --min-rate "$RATE" -p "$PORTS" --no-tui \
    -oJ "$TB_WORK/portgrid.json" "$TB_TARGET_ADDR" >/dev/null || echo "portgrid exited $?"
tb_time t_nmap tb_scan nmap -n -Pn -sU --max-retries 1 --min-rate "$RATE" -p "$PORTS" \
    -oX "$TB_WORK/nmap.xml" "$TB_TARGET_ADDR" >/dev/null
echo "portgrid -sU --min-rate $RATE: ${t_pg} s"
echo "nmap -sU --min-rate $RATE: ${t_nmap} s"
python3 - "$TB_WORK/portgrid.json" "$TB_WORK/nmap.xml" "$t_pg" "$t_nmap" <<'PY'
import json, sys, collections, xml.etree.ElementTree as ET
ours, theirs, t_pg, t_nmap = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
report = json.load(open(ours))
states = collections.Counter()
for host in report["hosts"]:
    for port in host.get("ports", []): states[port["state"]] += 1
    for extra in host.get("extraports", []): states[extra["state"]] += extra["count"]
print("portgrid states:", dict(states))
root = ET.parse(theirs).getroot()
nstates = collections.Counter()
for port in root.iter("port"): nstates[port.find("state").get("state")] += 1
for extra in root.iter("extraports"): nstates[extra.get("state")] += int(extra.get("count"))
print("nmap states:", dict(nstates))
PY
