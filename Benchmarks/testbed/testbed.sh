# shellcheck shell=bash
# The namespace testbed for benchmark scripts (the bash twin of Tests/IntegrationTests/Testbed*.swift).
# BENCH_OUT=DIR keeps every run's JSON and XML reports there, named after the script.
# Source it, then: tb_require; tb_up; tb_firewall <<'RULES' ... RULES; tb_responder --tcp ...; run things
# with tb_scan (inside the scanner namespace). Teardown runs on every exit path (EXIT/INT/TERM traps).
#
# Layout: scanner namespace 198.18.0.1/24 and 2001:2::1/64 on one end of a veth pair, target namespace on
# the other with 198.18.0.2/24 and 2001:2::2/64 (plus aliases from tb_add_target), lo up in both, no
# default route anywhere in either family: packets can only ever reach the two namespaces. Names carry this shell's pid, so parallel runs never collide and
# tb_clean_stale can tell a crashed run's namespaces (dead pid) from a live one's.

TB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TB_ROOT=$(cd "$TB_DIR/../.." && pwd)
TB_ID="$$-${RANDOM}"
TB_SCAN="pg-bscan-$TB_ID"
TB_TGT="pg-btgt-$TB_ID"
TB_SCANNER_ADDR=198.18.0.1
TB_TARGET_ADDR=198.18.0.2
TB_SCANNER_ADDR6=2001:2::1
TB_TARGET_ADDR6=2001:2::2
TB_RESPONDER_PID=""
TB_HOLD_FD=""
TB_WORK=""
TB_UP=0

tb_die() { echo "testbed: $*" >&2; exit 1; }

tb_require() {
    [ "$(id -u)" -eq 0 ] || tb_die "needs root (network namespaces, nftables, raw sockets)"
    local tool
    for tool in ip nft python3 "$@"; do
        command -v "$tool" >/dev/null 2>&1 || tb_die "needs '$tool' (apt-get install -y iproute2 nftables python3 nmap)"
    done
}

# Namespaces of earlier runs that crashed before their teardown: ours by name, their owner pid gone.
tb_clean_stale() {
    local ns pid
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^pg-(scan|tgt|seal|bscan|btgt)-[0-9]+-' || true); do
        pid=$(sed -E 's/^pg-[a-z]+-([0-9]+)-.*/\1/' <<<"$ns")
        [ -d "/proc/$pid" ] && continue
        tb_kill_namespace_processes "$ns"
        ip netns del "$ns" 2>/dev/null || true
    done
}

# Only processes inside our own namespace, by pid: responders this script started.
tb_kill_namespace_processes() {
    local pid
    for pid in $(ip netns pids "$1" 2>/dev/null || true); do
        kill "$pid" 2>/dev/null || true
    done
}

tb_down() {
    [ "$TB_UP" -eq 1 ] || return 0
    TB_UP=0
    if [ -n "$TB_HOLD_FD" ]; then eval "exec $TB_HOLD_FD>&-"; TB_HOLD_FD=""; fi
    if [ -n "$TB_RESPONDER_PID" ]; then kill "$TB_RESPONDER_PID" 2>/dev/null || true; wait "$TB_RESPONDER_PID" 2>/dev/null || true; fi
    tb_kill_namespace_processes "$TB_SCAN"
    tb_kill_namespace_processes "$TB_TGT"
    ip netns del "$TB_SCAN" 2>/dev/null || true
    ip netns del "$TB_TGT" 2>/dev/null || true
    if [ -n "$TB_WORK" ] && [ -n "${BENCH_OUT:-}" ]; then
        mkdir -p "$BENCH_OUT"
        local kept
        for kept in "$TB_WORK"/*.json "$TB_WORK"/*.xml; do
            [ -e "$kept" ] && cp "$kept" "$BENCH_OUT/$(basename "$0" .sh)-$(basename "$kept")"
        done
    fi
    [ -n "$TB_WORK" ] && rm -rf "$TB_WORK"
    TB_WORK=""
}

tb_up() {
    tb_clean_stale
    trap tb_down EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    TB_WORK=$(mktemp -d /tmp/pg-bench.XXXXXX)
    TB_UP=1
    ip netns add "$TB_SCAN"
    ip netns add "$TB_TGT"
    # Both ends are created straight inside their namespaces: no name ever exists in the host's namespace.
    ip link add name pgs0 netns "$TB_SCAN" type veth peer name pgt0 netns "$TB_TGT"
    ip -n "$TB_SCAN" link set lo up
    ip -n "$TB_TGT" link set lo up
    ip -n "$TB_SCAN" addr add "$TB_SCANNER_ADDR/24" dev pgs0
    ip -n "$TB_TGT" addr add "$TB_TARGET_ADDR/24" dev pgt0
    # The IPv6 twins (RFC 5180's 2001:2::/48) on the same link; nodad: usable at once.
    ip -n "$TB_SCAN" addr add "$TB_SCANNER_ADDR6/64" dev pgs0 nodad
    ip -n "$TB_TGT" addr add "$TB_TARGET_ADDR6/64" dev pgt0 nodad
    ip -n "$TB_SCAN" link set pgs0 up
    ip -n "$TB_TGT" link set pgt0 up
    local family
    for family in -4 -6; do
        if ip "$family" -n "$TB_SCAN" route show default | grep -q . || ip "$family" -n "$TB_TGT" route show default | grep -q .; then
            tb_die "a default route appeared in a testbed namespace; refusing to scan"
        fi
    done
    tb_wait_operational
    tb_icmp_limits deterministic
}

# IPv6 starts on a link once the kernel's link watch marks it operational (up to a second after
# "link set up"); until then no neighbour solicitation is answered. Bounded: 5 s.
tb_wait_operational() {
    local i
    for i in $(seq 1 250); do
        if ip -n "$TB_SCAN" -o link show dev pgs0 | grep -q 'state UP' && ip -n "$TB_TGT" -o link show dev pgt0 | grep -q 'state UP'; then
            return 0
        fi
        sleep 0.02
    done
    tb_die "the testbed link did not become operational within 5 s"
}

# More target hosts: aliases on the target's veth end (e.g. tb_add_target 198.18.0.17).
tb_add_target() {
    local addr
    for addr in "$@"; do ip -n "$TB_TGT" addr add "$addr/24" dev pgt0; done
}

# deterministic: the target answers every probe with its ICMP error (no per-destination or global
# limit), so states never depend on timing. default: the kernel's own limits, as a real Linux host has.
tb_icmp_limits() {
    case "$1" in
        deterministic) ip netns exec "$TB_TGT" sysctl -q -w net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=1000000 net.ipv4.icmp_msgs_burst=1000000 net.ipv6.icmp.ratelimit=0 ;;
        default) ip netns exec "$TB_TGT" sysctl -q -w net.ipv4.icmp_ratelimit=1000 net.ipv4.icmp_msgs_per_sec=1000 net.ipv4.icmp_msgs_burst=50 net.ipv6.icmp.ratelimit=1000 ;;
        *) tb_die "tb_icmp_limits deterministic|default" ;;
    esac
}

# Rules of the target's input chain, one per line on stdin, e.g. "tcp dport 20000-20999 drop".
tb_firewall() {
    {
        echo "table inet portgrid_testbed {"
        echo "  chain input {"
        echo "    type filter hook input priority 0; policy accept;"
        sed 's/^/    /'
        echo "  }"
        echo "}"
    } | ip netns exec "$TB_TGT" nft -f -
}

# Target services (see responder.py). Waits until every socket is bound.
tb_responder() {
    local fifo="$TB_WORK/hold" out="$TB_WORK/responder.out" i
    mkfifo "$fifo"
    ip netns exec "$TB_TGT" python3 "$TB_DIR/responder.py" "$@" <"$fifo" >"$out" 2>&1 &
    TB_RESPONDER_PID=$!
    # Holding the fifo's write end: when this shell dies, the responder reads end of file and exits.
    exec {TB_HOLD_FD}>"$fifo"
    for i in $(seq 1 200); do
        grep -q '^ready$' "$out" 2>/dev/null && return 0
        kill -0 "$TB_RESPONDER_PID" 2>/dev/null || break
        sleep 0.05
    done
    cat "$out" >&2
    tb_die "responder did not come up"
}

# Runs a command inside the scanner namespace; under tb_time, through /usr/bin/time for its peak RSS.
tb_scan() {
    if [ -n "${TB_RSS_FILE:-}" ]; then
        ip netns exec "$TB_SCAN" /usr/bin/time -f %M -o "$TB_RSS_FILE" "$@"
    else
        ip netns exec "$TB_SCAN" "$@"
    fi
}

# Wall time of a command in seconds (3 decimals) into the variable named by $1, and the peak resident
# set size in MB (one decimal, from /usr/bin/time -v's "Maximum resident set size") into ${1}_mb when
# the command is a tb_scan ("-" otherwise); returns the command's status.
tb_time() {
    local __var=$1 start end rc rss
    shift
    TB_RSS_FILE="$TB_WORK/rss.$RANDOM"
    start=$(date +%s.%N)
    TB_RSS_FILE=$TB_RSS_FILE "$@" && rc=0 || rc=$?
    end=$(date +%s.%N)
    printf -v "$__var" '%s' "$(python3 -c "print(f'{$end - $start:.3f}')")"
    rss=$(tail -n 1 "$TB_RSS_FILE" 2>/dev/null || true)
    if [[ "$rss" =~ ^[0-9]+$ ]]; then
        printf -v "${__var}_mb" '%s' "$(python3 -c "print(f'{$rss / 1024:.1f}')")"
    else
        printf -v "${__var}_mb" '%s' "-"
    fi
    rm -f "$TB_RSS_FILE"
    TB_RSS_FILE=""
    return "$rc"
}

# Every address of a /16 answers in the target namespace: a local route there (the kernel then
# answers pings, SYNs and listening sockets bound to any address on all 65,536 of them), a route to
# the block through the veth in the scanner namespace. Only 198.19.0.0/16 is allowed (test range).
TB_BLOCK=198.19.0.0/16
tb_local_block() {
    ip -n "$TB_TGT" route add local "$TB_BLOCK" dev lo
    ip -n "$TB_SCAN" route add "$TB_BLOCK" via "$TB_TARGET_ADDR" dev pgs0
}

# Builds the release binary (as README says: swift build -c release) and prints its path.
# PORTGRID_SCRATCH picks the build folder (default .build); PORTGRID_BIN names a binary to use instead.
tb_build_release() {
    if [ -n "${PORTGRID_BIN:-}" ]; then
        [ -x "$PORTGRID_BIN" ] || tb_die "PORTGRID_BIN=$PORTGRID_BIN is not an executable"
        echo "$PORTGRID_BIN"
        return 0
    fi
    local scratch=${PORTGRID_SCRATCH:-$TB_ROOT/.build}
    (cd "$TB_ROOT" && swift build -c release --scratch-path "$scratch" --product portgrid >&2) || tb_die "release build failed"
    echo "$(cd "$TB_ROOT" && swift build -c release --scratch-path "$scratch" --show-bin-path)/portgrid"
}

# "wall time A, wall time B" -> "B/A" with two decimals.
tb_ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{b / a:.2f}' if a > 0 else 'inf')" "$1" "$2"; }

# The TCP host of the issues' benchmarks: 50 open ports (20 well-known, 30 spread over the high range),
# 1,000 dropped (20000-20999), the other 64,485 closed. Same layout as TestbedLayout.wide.
TB_BENCH_OPEN_TCP="21,22,23,25,53,80,110,143,443,445,993,995,1433,3306,3389,5432,5900,6379,8080,8443,$(seq -s, 31000 1111 63219)"
TB_BENCH_DROPPED_TCP="20000-20999"

tb_bench_tcp_host() {
    tb_firewall <<<"tcp dport { $TB_BENCH_DROPPED_TCP } drop"
    tb_responder --tcp "$TB_BENCH_OPEN_TCP"
}

# The issues' TCP benchmark: all 65,535 ports of the bench host, portgrid beside nmap in the same run.
# $1: technique flag (-sT, -sS); $2: the issue's target ratio. PG_FLAGS adds portgrid flags (default -T4).
# TB_FAMILY=6 scans the host's IPv6 address instead (nmap with -6).
tb_bench_tcp_scan() {
    local flag=$1 target=$2 bin t_pg t_nmap
    tb_require nmap
    bin=$(tb_build_release)
    local pg_flags=${PG_FLAGS:--T4} nmap_flags=${NMAP_FLAGS:-}
    local address=$TB_TARGET_ADDR nmap_family=()
    if [ "${TB_FAMILY:-4}" = 6 ]; then address=$TB_TARGET_ADDR6; nmap_family=(-6); fi
    tb_up
    tb_bench_tcp_host
    echo "== $flag scan, all 65,535 ports of $address: 50 open, 1,000 dropped, the rest closed"
    # shellcheck disable=SC2086
    tb_time t_pg tb_scan "$bin" "$flag" -Pn -n -p- $pg_flags --no-tui -oJ "$TB_WORK/portgrid.json" "$address" >"$TB_WORK/portgrid.txt" \
        || echo "portgrid exited $?"
    # shellcheck disable=SC2086
    tb_time t_nmap tb_scan nmap "${nmap_family[@]}" -n -Pn "$flag" -T4 -p- $nmap_flags -oX "$TB_WORK/nmap.xml" "$address" >/dev/null
    echo "portgrid $flag -p- $pg_flags: ${t_pg} s, peak RSS ${t_pg_mb} MB"
    echo "nmap ${nmap_family[*]} -n -Pn $flag -T4 -p- $nmap_flags: ${t_nmap} s, peak RSS ${t_nmap_mb} MB"
    echo "portgrid is $(tb_ratio "$t_pg" "$t_nmap")x faster (target >= ${target}x)"
    python3 "$TB_DIR/compare.py" ports "$TB_WORK/portgrid.json" "$TB_WORK/nmap.xml" \
        --truth "open=$TB_BENCH_OPEN_TCP filtered=$TB_BENCH_DROPPED_TCP" --address "$address" --proto tcp
}
