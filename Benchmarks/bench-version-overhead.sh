#!/usr/bin/env bash
# Issue 16's "-sV must not slow the port scan itself by more than 10%": the connect scan of all 65,535
# ports of the benchmark host (50 open, 1,000 dropped, the rest closed), ROUNDS times without and with
# -sV, in turn (which goes first alternates). The 50 open ports are served by greeters that send a
# banner and keep the connection open (an SSH, FTP or SMTP greeting on every third port; the others stay
# silent, the slowest case for detection: every probe of the intensity waits its full time), so with -sV
# each open port is probed the moment it is found while the port scan goes on, over many connections.
# The port scan's own time is the report's `<finished elapsed>` (the engine's time, detection
# excluded); the wall time includes detection. Prints each round, the medians and the ratio (target:
# <= 1.10). A benchmark, not a test: it shows figures, it does not fail on them.
# Needs root, iproute2, nftables, python3.
# PG_FLAGS adds portgrid flags (default -T4); ROUNDS (default 5); PORTGRID_BIN uses a given binary.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require
binary=${PORTGRID_BIN:-$(tb_build_release)}
PG_FLAGS=${PG_FLAGS:--T4}
ROUNDS=${ROUNDS:-5}
tb_up
tb_firewall <<<"tcp dport { $TB_BENCH_DROPPED_TCP } drop"
# The greeters: accept, greet (or not), read and discard, hang up after 20 s or when the client does.
cat >"$TB_WORK/greeters.py" <<'PY'
import selectors, socket, sys, time
address, ports = sys.argv[1], [int(p) for p in sys.argv[2].split(",")]
banners = [b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", b"220 (vsFTPd 3.0.3)\r\n",
           b"220 mail.testbed ESMTP Postfix (Debian/GNU)\r\n"]
sel, born = selectors.DefaultSelector(), {}
for i, port in enumerate(ports):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port)); s.listen(256); s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, banners[i // 3 % 3] if i % 3 == 0 else b"")
print("ready", flush=True)
while True:
    for key, _ in sel.select(1):
        if key.data is None:
            try:
                if not key.fileobj.recv(4096): raise OSError
            except OSError:
                sel.unregister(key.fileobj); key.fileobj.close(); born.pop(key.fileobj, None)
            continue
        try:
            conn, _ = key.fileobj.accept()
        except OSError:
            continue
        conn.setblocking(False)
        if key.data:
            try: conn.send(key.data)
            except OSError: pass
        sel.register(conn, selectors.EVENT_READ, None); born[conn] = time.time()
    for conn, at in list(born.items()):
        if time.time() - at > 20:
            sel.unregister(conn); conn.close(); del born[conn]
PY
ip netns exec "$TB_TGT" python3 "$TB_WORK/greeters.py" "$TB_TARGET_ADDR" "$TB_BENCH_OPEN_TCP" >"$TB_WORK/greeters.out" 2>&1 &
for _ in $(seq 100); do grep -q ready "$TB_WORK/greeters.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$TB_WORK/greeters.out" || tb_die "greeters did not come up: $(cat "$TB_WORK/greeters.out")"

scan_seconds() { python3 -c "import sys, xml.etree.ElementTree as ET; print(ET.parse(sys.argv[1]).getroot().find('runstats/finished').get('elapsed'))" "$1"; }
open_ports() { python3 -c "
import sys, xml.etree.ElementTree as ET
print(','.join(p.get('portid') for p in ET.parse(sys.argv[1]).getroot().iter('port') if p.find('state').get('state') == 'open'))" "$1"; }

echo "== connect scan -p- of $TB_TARGET_ADDR ($PG_FLAGS), $ROUNDS rounds without and with -sV"
plain=() detect=()
for round in $(seq "$ROUNDS"); do
    # shellcheck disable=SC2086
    plain_run() { tb_time wall_plain tb_scan "$binary" -sT -Pn -n -p- $PG_FLAGS --no-tui -oX "$TB_WORK/plain.xml" "$TB_TARGET_ADDR" >/dev/null; }
    # shellcheck disable=SC2086
    sv_run() { tb_time wall_sv tb_scan "$binary" -sT -sV -Pn -n -p- $PG_FLAGS --no-tui -oX "$TB_WORK/sv.xml" "$TB_TARGET_ADDR" >/dev/null; }
    if [ $((round % 2)) -eq 1 ]; then plain_run; sv_run; else sv_run; plain_run; fi
    s_plain=$(scan_seconds "$TB_WORK/plain.xml") s_sv=$(scan_seconds "$TB_WORK/sv.xml")
    plain+=("$s_plain") detect+=("$s_sv")
    echo "round $round: port scan ${s_plain} s without -sV, ${s_sv} s with -sV (wall ${wall_plain} s, ${wall_sv} s with detection)"
    [ "$(open_ports "$TB_WORK/plain.xml")" = "$(open_ports "$TB_WORK/sv.xml")" ] || echo "round $round: the open ports DIFFER"
done
python3 -c "
import sys, xml.etree.ElementTree as ET
names = [(s.get('name'), s.get('product')) for s in ET.parse(sys.argv[1]).getroot().iter('service')]
print(f'last -sV run: {len(names)} ports with a service, {sum(1 for n in names if n[1])} with a product')" "$TB_WORK/sv.xml"
python3 - "${plain[*]}" "${detect[*]}" <<'PY'
import statistics, sys
plain = [float(x) for x in sys.argv[1].split()]
detect = [float(x) for x in sys.argv[2].split()]
a, b = statistics.median(plain), statistics.median(detect)
print(f"median port scan: {a:.3f} s without -sV, {b:.3f} s with -sV: x{b / a:.2f} (target <= 1.10)")
print(f"range: {min(plain):.3f}-{max(plain):.3f} s without, {min(detect):.3f}-{max(detect):.3f} s with")
PY
