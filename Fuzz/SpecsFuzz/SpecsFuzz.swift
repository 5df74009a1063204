import PortgridCore

/// The libFuzzer target for the spec parsers (see README, "Fuzzing"): every input is read, as the
/// CLI and the TUI's range prompt read what a user types, as a target list (an optional second
/// line is the --exclude list), a -p port list, a --top-ports count and a bare address. A throw is
/// a clean refusal; a trap, a sanitizer report or a broken invariant below is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func specsFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // Command-line arguments reach the parsers decoded the same way: invalid UTF-8 repaired.
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let excluding = lines.count > 1 ? [String(lines[1])] : []
    if let targets = try? TargetSet(parsing: [String(lines[0])], excluding: excluding) {
        SpecInvariants.check(targets)
    }
    if let ports = try? PortList(parsing: text) { SpecInvariants.check(ports) }
    if let top = try? PortList.parseTopPorts(text) {
        SpecInvariants.require((1...65_535).contains(top), "--top-ports out of range")
    }
    if let address = IPAddress(text) {
        SpecInvariants.require(IPAddress(address.description) == address, "address does not round-trip")
    }
    return 0
}

/// What an accepted spec promises. `require` traps, which libFuzzer reports as a crash with the
/// input saved.
enum SpecInvariants {
    static func check(_ targets: TargetSet) {
        require(targets.count <= TargetSet.maxAddresses, "target set over the size limit")
        for term in targets.terms {
            require(term.count >= 1, "a target term with no addresses")
            guard case .hostname = term else {
                // The first and last address exist and belong to the term (the walk reaches them).
                for index in [0, term.count / 2, term.count - 1] {
                    guard let address = term.address(at: index) else { fatalError("term has no address \(index)") }
                    require(term.contains(address), "a term's address is not in the term")
                }
                continue
            }
        }
        // Printing a set and parsing it again gives the same set (the TUI shows and re-edits it).
        require((try? TargetSet(parsing: [targets.description])) == TargetSet(terms: targets.terms),
                "target set does not round-trip through its description")
        for address in targets.addresses.prefix(64) {
            require(!targets.isExcluded(address), "an excluded address is walked")
        }
    }

    static func check(_ ports: PortList) {
        require(!ports.tcp.isEmpty || !ports.udp.isEmpty, "an accepted port list with no ports")
        require((try? PortList(parsing: ports.description)) == ports, "port list does not round-trip")
        for set in [ports.tcp, ports.udp] where !set.isEmpty {
            for index in [0, set.count / 2, set.count - 1] {
                require(set.index(of: set[index]) == index, "port index and subscript disagree")
            }
        }
    }

    static func require(_ condition: Bool, _ finding: StaticString) {
        if !condition { fatalError("\(finding)") }
    }
}
