#!/usr/bin/env bash
# Issue 13's evasion flags at speed: a SYN scan of all 65,535 ports of one testbed host (50 open,
# 1,000 dropped, the rest closed) from one fixed source port with a set TTL, portgrid beside nmap with
# the same flags (`-g 53 --ttl 7`). With -g the source port no longer carries the probe's cookie: the
# open and closed sets must still be exactly the truth. Needs root, iproute2, nftables, python3, nmap.
set -euo pipefail
export PG_FLAGS="${PG_FLAGS:--T4} -g 53 --ttl 7" NMAP_FLAGS="-g 53 --ttl 7"
source "$(dirname "$0")/testbed/testbed.sh"
tb_bench_tcp_scan -sS 5
