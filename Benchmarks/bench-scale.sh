#!/usr/bin/env bash
# Issue 12's "memory flat in the number of targets": peak RSS and wall time of headless sweeps (-sn)
# and SYN scans of one port (-sS -p 80, with -Pn and with discovery first) over growing blocks: /18,
# /17, /16 of 198.19.0.0/16 (every address answers: the local route of tb_local_block), and the whole 198.18.0.0/15, whose upper half
# answers and whose lower half the target drops (routed to it, not forwarded: silence). A headless run
# goes a /16 at a time (HeadlessRun.defaultHostgroup) and writes each group out as it finishes, so the
# /15 should peak where the /16 does. nmap's -sn of the /16 runs beside, in the same run (its /15 takes
# over a quarter of an hour: not run). RUNS=N repeats each portgrid row (default 2). In the /15 the
# scanner (198.18.0.1) and the target (198.18.0.2) answer too: 65,538 up; the kernel refuses the probes
# to its link's broadcast address (198.18.0.255), and portgrid says so in a warning.
# Needs root, iproute2, nftables, python3, nmap.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require nmap
BIN=$(tb_build_release)
tb_up
tb_local_block
# The lower half too goes to the target, which drops it; the scanner's own /24 stays on its link.
ip -n "$TB_SCAN" route add 198.18.0.0/16 via "$TB_TARGET_ADDR" dev pgs0
RUNS=${RUNS:-2}

# $1 label, $2 expected hosts up, then the scan's flags and target.
row() {
    local label=$1 expected=$2 run up
    shift 2
    for ((run = 1; run <= RUNS; run++)); do
        tb_time t tb_scan "$BIN" -n --no-tui -oG "$TB_WORK/pg.gnmap" "$@" >/dev/null || echo "portgrid exited $?"
        up=$(grep -c "Status: Up" "$TB_WORK/pg.gnmap" || true)
        printf '%-34s %7s s  %6s MB  %6s of %s up\n' "$label" "$t" "$t_mb" "$up" "$expected"
    done
}

echo "== headless sweeps (-sn) and SYN one port (-sS -Pn -p 80): peak RSS against the number of targets"
row "-sn /18" 16384 -sn 198.19.0.0/18
row "-sn /17" 32768 -sn 198.19.0.0/17
row "-sn /16" 65536 -sn 198.19.0.0/16
row "-sn /15 (lower half dead)" 65538 -sn 198.18.0.0/15
row "-sS -Pn -p 80 /16" 65536 -sS -Pn -p 80 198.19.0.0/16
row "-sS -Pn -p 80 /15 (lower half dead)" 131072 -sS -Pn -p 80 198.18.0.0/15
row "-sS -p 80 /16 (discovery first)" 65536 -sS -p 80 198.19.0.0/16
row "-sS -p 80 /15 (discovery first)" 65538 -sS -p 80 198.18.0.0/15
tb_time t_nmap tb_scan nmap -n -sn -oX "$TB_WORK/nmap.xml" 198.19.0.0/16 >/dev/null
echo "nmap -n -sn /16: ${t_nmap} s, peak RSS ${t_nmap_mb} MB"
