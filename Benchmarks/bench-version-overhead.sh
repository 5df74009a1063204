#!/usr/bin/env bash
# Issue 16's "-sV must not slow the port scan itself by more than 10%": the connect scan of all 65,535
# ports of the benchmark host (50 open, 1,000 dropped, the rest closed), ROUNDS times without and with
# -sV, alternating. With -sV each of the 50 open ports is probed the moment it is found, while the port
# scan goes on (the responder accepts and stays silent, so every port gets the NULL probe's wait and the
# probes after it: detection is busy for the whole scan). The port scan's own time is the report's
# `<finished elapsed>` (the engine's time, detection excluded); the wall time includes detection.
# Prints each round, the medians and the ratio (target: <= 1.10). A benchmark, not a test: it shows
# figures, it does not fail on them. Needs root, iproute2, nftables, python3.
# PG_FLAGS adds portgrid flags (default -T4); ROUNDS (default 5); PORTGRID_BIN uses a given binary.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require
binary=${PORTGRID_BIN:-$(tb_build_release)}
PG_FLAGS=${PG_FLAGS:--T4}
ROUNDS=${ROUNDS:-5}
tb_up
tb_bench_tcp_host

scan_seconds() { python3 -c "import sys, xml.etree.ElementTree as ET; print(ET.parse(sys.argv[1]).getroot().find('runstats/finished').get('elapsed'))" "$1"; }
open_ports() { python3 -c "
import sys, xml.etree.ElementTree as ET
print(','.join(p.get('portid') for p in ET.parse(sys.argv[1]).getroot().iter('port') if p.find('state').get('state') == 'open'))" "$1"; }

echo "== connect scan -p- of $TB_TARGET_ADDR ($PG_FLAGS), $ROUNDS rounds without and with -sV"
plain=() detect=()
for round in $(seq "$ROUNDS"); do
    # shellcheck disable=SC2086
    tb_time wall_plain tb_scan "$binary" -sT -Pn -n -p- $PG_FLAGS --no-tui -oX "$TB_WORK/plain.xml" "$TB_TARGET_ADDR" >/dev/null
    # shellcheck disable=SC2086
    tb_time wall_sv tb_scan "$binary" -sT -sV -Pn -n -p- $PG_FLAGS --no-tui -oX "$TB_WORK/sv.xml" "$TB_TARGET_ADDR" >/dev/null
    s_plain=$(scan_seconds "$TB_WORK/plain.xml") s_sv=$(scan_seconds "$TB_WORK/sv.xml")
    plain+=("$s_plain") detect+=("$s_sv")
    echo "round $round: port scan ${s_plain} s without -sV, ${s_sv} s with -sV (wall ${wall_plain} s, ${wall_sv} s with detection)"
    [ "$(open_ports "$TB_WORK/plain.xml")" = "$(open_ports "$TB_WORK/sv.xml")" ] || echo "round $round: the open ports DIFFER"
done
python3 - "${plain[*]}" "${detect[*]}" <<'PY'
import statistics, sys
plain = [float(x) for x in sys.argv[1].split()]
detect = [float(x) for x in sys.argv[2].split()]
a, b = statistics.median(plain), statistics.median(detect)
print(f"median port scan: {a:.3f} s without -sV, {b:.3f} s with -sV: x{b / a:.2f} (target <= 1.10)")
print(f"range: {min(plain):.3f}-{max(plain):.3f} s without, {min(detect):.3f}-{max(detect):.3f} s with")
PY
