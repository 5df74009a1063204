#!/usr/bin/env bash
# Issue 3's benchmark: a SYN scan of all 65,535 ports of one testbed host (50 open, 1,000 dropped, the
# rest closed), portgrid beside `nmap -n -Pn -sS -T4 -p-` on the same host in the same run.
# Prints both wall times, the ratio (target: portgrid >= 10x faster), both open sets and the closed and
# filtered counts. Needs root, iproute2, nftables, python3, nmap. PG_FLAGS adds portgrid flags (default -T4).
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_bench_tcp_scan -sS 10
