#!/usr/bin/env bash
# Writes Sources/portgrid/hot-functions.order: the functions of the release binary that the everyday runs
# execute, for lld to lay out first (Package.swift, "hot functions first"). Each run goes through
# valgrind's callgrind on the testbed (the scanner in its namespace, the benchmarks' TCP host): --help,
# a ping sweep of a /24 writing every format, SYN, connect, FIN, ACK and UDP scans over open, closed
# and dropped ports, an IPv6 SYN scan, a sweep of a /16 and a SYN scan of a /15, a merge and a view of
# the reports. Functions that more runs share
# come first, and those of the same runs sit together, so every run's code is in as few pages as possible
# (the kernel maps up to 64 KB of cached text around each page a run touches). Run again after large changes to
# the code: a stale list only lays out less well (names that are gone are skipped). Needs root,
# iproute2, nftables, python3, valgrind. PORTGRID_BIN names a release binary to profile.
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_require valgrind
BIN=$(tb_build_release)
ORDER="$TB_ROOT/Sources/portgrid/hot-functions.order"
tb_up
tb_icmp_limits deterministic
tb_add_target 198.18.0.17 198.18.0.100
tb_bench_tcp_host

# A copy without debug information: valgrind reads the symbol table only, in seconds.
PROFILED="$TB_WORK/portgrid"
objcopy --strip-debug "$BIN" "$PROFILED"
run=0
profile() {
    run=$((run + 1))
    echo "== run $run: portgrid $*" >&2
    ip netns exec "$TB_SCAN" valgrind --tool=callgrind --demangle=no --dump-instr=no --compress-strings=no \
        --callgrind-out-file="$TB_WORK/callgrind.$run" "$PROFILED" "$@" >/dev/null 2>"$TB_WORK/valgrind.$run" \
        || { tail -n 5 "$TB_WORK/valgrind.$run" >&2; tb_die "run $run failed"; }
}

OUT="$TB_WORK/out"
mkdir -p "$OUT"
PORTS="1-1100,8000-8500,20000-20050,31000-32200"
profile --help
profile -sn -n --no-tui -oA "$OUT/sweep" -oJ "$OUT/sweep.json" 198.18.0.0/24 --max-retries 1
profile -sS -Pn -n -p "$PORTS" --no-tui -oJ "$OUT/syn.json" -oX "$OUT/syn.xml" "$TB_TARGET_ADDR"
profile -sT -Pn -n -p "$PORTS" --no-tui -oN "$OUT/connect.txt" "$TB_TARGET_ADDR"
profile -sS -Pn -n -p "$PORTS" --no-tui "$TB_TARGET_ADDR6"
profile -sF -Pn -n -p 1-1100,20000-20050 --no-tui "$TB_TARGET_ADDR"
profile -sA -Pn -n -p 1-1100,20000-20050 --no-tui "$TB_TARGET_ADDR"
profile -sU -Pn -n -p 53,123,161,500,1-200 --no-tui "$TB_TARGET_ADDR"
# The scale runs (bench-ping16, bench-syn16, bench-scale): a /16 every address of which answers, and
# a /15 scanned a /16 at a time (its lower half routed to the target and dropped there), so the
# hostgroups' code sits with the rest.
tb_local_block
ip -n "$TB_SCAN" route add 198.18.0.0/16 via "$TB_TARGET_ADDR" dev pgs0
profile -sn -n --no-tui -oG "$OUT/sweep16.gnmap" "$TB_BLOCK"
profile -sS -n -p 80 --no-tui -oX "$OUT/syn15.xml" 198.18.0.0/15
profile merge --force -oJ "$OUT/merged.json" "$OUT/syn.json" "$OUT/sweep.json"
profile view --no-tui "$OUT/syn.xml"

python3 - "$PROFILED" "$ORDER" "$TB_WORK"/callgrind.* <<'PY'
import collections, re, subprocess, sys
binary, order, profiles = sys.argv[1], sys.argv[2], sys.argv[3:]
# A name defined more than once is a local symbol of several objects ("objectdestroyTm", a value
# witness): lld would pull every section defining it forward, whole objects of the runtime among them.
symbols = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
definitions = collections.Counter(line.split()[-1] for line in symbols.splitlines() if len(line.split()) == 3)
runs_of, first_seen = {}, {}
for index, path in enumerate(sorted(profiles, key=lambda p: int(p.rsplit(".", 1)[1]))):
    in_binary = False
    for line in open(path, errors="replace"):
        if line.startswith("ob="):
            in_binary = line[3:].strip() == binary
        elif line.startswith("fn=") and in_binary:
            # callgrind marks recursion levels and unnamed code ("'2", "0x...").
            name = re.sub(r"'\d+$", "", line[3:].strip())
            if name.startswith("0x") or definitions[name] != 1:
                continue
            runs_of.setdefault(name, set()).add(index)
            first_seen.setdefault(name, (index, len(first_seen)))
# Most shared first (start-up, options, the report), then in the order the runs first ran them.
names = sorted(runs_of, key=lambda n: (-len(runs_of[n]), first_seen[n]))
with open(order, "w") as out:
    out.write("".join(name + "\n" for name in names))
print(f"{len(names)} functions from {len(profiles)} runs -> {order}")
PY
