#!/usr/bin/env bash
# Issue 2's benchmark: a connect scan of all 65,535 ports of one testbed host (50 open, 1,000 dropped,
# the rest closed), portgrid beside `nmap -n -Pn -sT -T4 -p-` on the same host in the same run.
# Prints both wall times, the ratio (target: portgrid >= 4x faster) and both open-port sets.
# Needs root, iproute2, nftables, python3, nmap. PG_FLAGS adds portgrid flags (default: -T4, as nmap).
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
tb_bench_tcp_scan -sT 4
