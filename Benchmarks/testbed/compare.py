#!/usr/bin/env python3
"""Puts a portgrid JSON report (-oJ) beside an nmap XML report (-oX) of the same scan and says whether
they agree. Used by the benchmark scripts.

  compare.py ports PORTGRID.json NMAP.xml   open sets, counts per state, and whether every port agrees
  compare.py hosts PORTGRID.json NMAP.xml   the up sets of a ping sweep
  compare.py sweep PORTGRID.json NMAP.xml   a few ports over many hosts: counts per state, same (host, port) states

With --truth "open=53,5000-5009 closed=6300-6363 ...", ports mode also checks each report against what
the testbed really holds (ports not named: --truth-rest STATE), so a scanner that gives up early (nmap
against a target that rate-limits ICMP) is not taken as the reference.

Exit status 0 when the two agree, 2 when they do not.
"""
import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter


def ranges(ports):
    """22,80,81,82 -> '22,80-82' so a set of 50 ports fits on a line."""
    out, ports = [], sorted(ports)
    i = 0
    while i < len(ports):
        j = i
        while j + 1 < len(ports) and ports[j + 1] == ports[j] + 1:
            j += 1
        out.append(str(ports[i]) if i == j else f"{ports[i]}-{ports[j]}")
        i = j + 1
    return ",".join(out) or "(none)"


class Report:
    """One host's ports as listed (port -> state) plus the folded states' counts."""

    def __init__(self, name):
        self.name = name
        self.listed = {}
        self.folded = Counter()
        self.up = set()

    def counts(self):
        counts = Counter(self.folded)
        counts.update(self.listed.values())
        return counts

    def state_of(self, key):
        if key in self.listed:
            return self.listed[key]
        return next(iter(self.folded)) if len(self.folded) == 1 else None


def read_portgrid(path):
    report = Report("portgrid")
    with open(path) as f:
        doc = json.load(f)
    for host in doc.get("hosts", []):
        if host.get("status") == "up":
            report.up.add(host["address"])
        for port in host.get("ports", []):
            report.listed[(host["address"], port["protocol"], port["port"])] = port["state"]
        for extra in host.get("extraports", []):
            report.folded[extra["state"]] += extra["count"]
    return report


def read_nmap(path):
    report = Report("nmap")
    root = ET.parse(path).getroot()
    for host in root.iter("host"):
        address = next((a.get("addr") for a in host.iter("address") if a.get("addrtype") in ("ipv4", "ipv6")), None)
        status = host.find("status")
        if status is not None and status.get("state") == "up":
            report.up.add(address)
        ports = host.find("ports")
        if ports is None:
            continue
        for port in ports.iter("port"):
            report.listed[(address, port.get("protocol"), int(port.get("portid")))] = port.find("state").get("state")
        for extra in ports.iter("extraports"):
            # nmap 7.9x names the folded ports in <extrareasons ports="6300-6363">: unfold them, so
            # several folded states (nmap folds each state past 25 ports) still compare port by port.
            unfolded = 0
            for reason in extra.iter("extrareasons"):
                for piece in filter(None, (reason.get("ports") or "").split(",")):
                    low, _, high = piece.partition("-")
                    for port in range(int(low), int(high or low) + 1):
                        report.listed[(address, reason.get("proto"), port)] = extra.get("state")
                        unfolded += 1
            if int(extra.get("count")) > unfolded:
                report.folded[extra.get("state")] += int(extra.get("count")) - unfolded
    return report


def parse_truth(spec, rest):
    truth = {}
    for item in spec.split():
        state, _, ports = item.partition("=")
        for piece in ports.split(","):
            low, _, high = piece.partition("-")
            for port in range(int(low), int(high or low) + 1):
                truth[port] = state
    return truth, rest


def check_truth(report, truth, rest, address, proto):
    """Ports of the report whose state differs from the testbed's truth (every scanned port counted)."""
    wrong = Counter()
    for (addr, prot, port), state in report.listed.items():
        if addr == address and prot == proto and state != truth.get(port, rest):
            wrong[(truth.get(port, rest), state)] += 1
    # Folded ports: their count per state must match the truth's count of unlisted ports in that state.
    # (Every port the truth names was scanned; the scan's other ports are in the `rest` state.)
    listed = {k[2] for k in report.listed if k[0] == address and k[1] == proto}
    total = len(listed) + sum(report.folded.values())
    for state, count in report.folded.items():
        expected_there = sum(1 for p, s in truth.items() if s == state and p not in listed)
        if state == rest:
            expected_there += total - len(truth) - sum(1 for p in listed if p not in truth)
        if expected_there != count:
            wrong[("folded " + state, f"{count} vs {expected_there} true")] += 1
    return wrong


def compare_ports(ours, theirs, truth=None):
    """Prints both reports and how they differ; True when portgrid is right (against the truth when
    given, else against nmap)."""
    for report in (ours, theirs):
        counts = report.counts()
        opened = [key[2] for key, state in report.listed.items() if state == "open"]
        print(f"{report.name:8} open ({len(opened)}): {ranges(opened)}")
        print(f"{report.name:8} states: " + ", ".join(f"{state} {counts[state]}" for state in sorted(counts)))
    same = ours.counts() == theirs.counts()
    keys = set(ours.listed) | set(theirs.listed)
    # A port folded into one of several extraports states has no known state of its own: those are
    # covered by the counts per state, the rest compare port by port.
    known = [k for k in keys if ours.state_of(k) is not None and theirs.state_of(k) is not None]
    differing = sorted(k for k in known if ours.state_of(k) != theirs.state_of(k))
    same = same and not differing
    if len(known) < len(keys):
        print(f"  {len(keys) - len(known)} ports are folded among several states: compared by their counts")
    for key in differing[:10]:
        print(f"  differs: {key[0]} {key[2]}/{key[1]}: portgrid {ours.state_of(key)}, nmap {theirs.state_of(key)}")
    if len(differing) > 10:
        print(f"  differs: ... {len(differing) - 10} more ports")
    print("same states for every port: " + ("yes" if same else "NO"))
    if truth is None:
        return same
    (states, rest), address, proto = truth
    right = True
    for report in (ours, theirs):
        wrong = check_truth(report, states, rest, address, proto)
        detail = ", ".join(f"{n} {want} reported {got}" for (want, got), n in sorted(wrong.items()))
        print(f"{report.name:8} against the testbed's truth: " + ("every port right" if not wrong else f"WRONG: {detail}"))
        if report is ours and wrong:
            right = False
    return right


def compare_hosts(ours, theirs):
    for report in (ours, theirs):
        shown = sorted(report.up, key=lambda a: tuple(map(int, a.split('.'))))
        listing = ", ".join(shown) if len(shown) <= 20 else f"{shown[0]} ... {shown[-1]}"
        print(f"{report.name:8} up ({len(report.up)}): {listing}")
    agree = ours.up == theirs.up
    print("same up set: " + ("yes" if agree else "NO"))
    return agree


def compare_sweep(ours, theirs):
    """Many hosts, few ports: the count per state, and whether every (host, port) has the same state."""
    for report in (ours, theirs):
        counts = report.counts()
        hosts = {key[0] for key in report.listed}
        print(f"{report.name:8} {len(hosts)} hosts listed; states: " + ", ".join(f"{state} {counts[state]}" for state in sorted(counts)))
    differing = [k for k in set(ours.listed) | set(theirs.listed) if ours.listed.get(k) != theirs.listed.get(k)]
    same = ours.counts() == theirs.counts() and not differing
    for key in sorted(differing)[:5]:
        print(f"  differs: {key[0]} {key[2]}/{key[1]}: portgrid {ours.listed.get(key)}, nmap {theirs.listed.get(key)}")
    print("same state for every (host, port): " + ("yes" if same else f"NO ({len(differing)} differ)"))
    return same


def main():
    args = sys.argv[1:]
    truth_spec, rest, address, proto = None, "closed", None, "tcp"
    for flag in ("--truth", "--truth-rest", "--address", "--proto"):
        if flag in args:
            i = args.index(flag)
            value = args[i + 1]
            del args[i:i + 2]
            if flag == "--truth":
                truth_spec = value
            elif flag == "--truth-rest":
                rest = value
            elif flag == "--address":
                address = value
            else:
                proto = value
    if len(args) != 3 or args[0] not in ("ports", "hosts", "sweep"):
        sys.exit(__doc__)
    ours, theirs = read_portgrid(args[1]), read_nmap(args[2])
    if args[0] == "ports":
        truth = (parse_truth(truth_spec, rest), address, proto) if truth_spec else None
        agree = compare_ports(ours, theirs, truth)
    elif args[0] == "sweep":
        agree = compare_sweep(ours, theirs)
    else:
        agree = compare_hosts(ours, theirs)
    sys.exit(0 if agree else 2)


if __name__ == "__main__":
    main()
