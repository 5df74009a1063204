#!/usr/bin/env bash
# Issue 15's benchmark: bench-syn.sh over IPv6. A SYN scan of all 65,535 ports of the testbed host's
# IPv6 address (2001:2::2: 50 open, 1,000 dropped, the rest closed), portgrid beside
# `nmap -6 -n -Pn -sS -T4 -p-` on the same host in the same run. Prints both wall times, the ratio
# (target: at least the IPv4 figure, 10x), both open sets and the closed and filtered counts.
# Needs root, iproute2, nftables, python3, nmap. PG_FLAGS adds portgrid flags (default -T4).
set -euo pipefail
source "$(dirname "$0")/testbed/testbed.sh"
TB_FAMILY=6 tb_bench_tcp_scan -sS 10
