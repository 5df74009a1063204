#!/bin/sh
# One portgrid scan as N shards on the machines GNU parallel reaches over ssh, then one merged report.
#
#   portgrid-shards.sh -n SHARDS -s SEED -S SSHLOGINS [-o BASE] -- SCAN ARGUMENTS...
#   portgrid-shards.sh -n 4 -s 20260101 -S scan1,scan2,scan3,scan4 -- -sS -Pn -p 1-1024 198.18.0.0/24
#
# SSHLOGINS is GNU parallel's --sshlogin list ("user@host,host2", ":" for this machine). Each machine
# needs portgrid on its PATH (and CAP_NET_RAW for the raw techniques). Shard I of N runs with
# --shard I/N and the shared seed, writes shard-I-of-N.json where it runs, and parallel brings the
# file back here (--return). The merge writes BASE.json, BASE.xml and BASE.txt (default
# portgrid-merged); `portgrid merge` names any shard that failed and exits 1.
set -eu

usage() {
    echo "usage: $0 -n SHARDS -s SEED -S SSHLOGINS [-o BASE] -- SCAN ARGUMENTS..." >&2
    exit 64
}

shards="" seed="" logins="" base="portgrid-merged"
while getopts n:s:S:o: option; do
    case "$option" in
        n) shards=$OPTARG ;;
        s) seed=$OPTARG ;;
        S) logins=$OPTARG ;;
        o) base=$OPTARG ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
[ -n "$shards" ] && [ -n "$seed" ] && [ -n "$logins" ] && [ "$#" -gt 0 ] || usage

# -q quotes the scan arguments for the remote shell; one shard at a time per machine; the shards'
# own tables are dropped (their reports come back). A failed shard does not stop the others: the
# merge below reports what is missing.
seq 1 "$shards" | parallel -q --sshlogin "$logins" --jobs 1 --return "shard-{}-of-$shards.json" --cleanup \
    portgrid --no-tui --shard "{}/$shards" --seed "$seed" -oJ "shard-{}-of-$shards.json" "$@" >/dev/null || true

set --
i=1
while [ "$i" -le "$shards" ]; do
    set -- "$@" "shard-$i-of-$shards.json"
    i=$((i + 1))
done
exec portgrid merge -oJ "$base.json" -oX "$base.xml" -oN "$base.txt" "$@"
