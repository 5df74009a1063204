import ArgumentParser
import PortgridCore

/// SCAN TECHNIQUES: one port-scan technique per run (the default is -sS with CAP_NET_RAW, else -sT).
struct TechniqueOptions: ParsableArguments {
    @Flag(name: .customLong("sS", withSingleDash: true), help: "TCP SYN (half-open) scan; needs CAP_NET_RAW.")
    var syn = false
    @Flag(name: .customLong("sT", withSingleDash: true), help: "TCP connect scan.")
    var connect = false
    @Flag(name: .customLong("sU", withSingleDash: true), help: "UDP scan with protocol payloads; needs CAP_NET_RAW.")
    var udp = false
    @Flag(name: .customLong("sF", withSingleDash: true), help: "TCP FIN scan.")
    var fin = false
    @Flag(name: .customLong("sN", withSingleDash: true), help: "TCP NULL scan.")
    var null = false
    @Flag(name: .customLong("sX", withSingleDash: true), help: "TCP Xmas scan.")
    var xmas = false
    @Flag(name: .customLong("sA", withSingleDash: true), help: "TCP ACK scan (firewall mapping).")
    var ack = false
}
