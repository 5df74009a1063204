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
            if case .hostname = term { continue }
            // The first, middle and last address exist and belong to the term (the walk reaches them).
            for index in [0, term.count / 2, term.count - 1] {
                guard let address = term.address(at: index) else { fatalError("term has no address \(index)") }
                require(term.contains(address), "a term's address is not in the term")
            }
        }
        // Printing a set and parsing it again names the same addresses (the TUI shows and re-edits
        // it). The terms may differ: `198.18.0.1/32` prints as `198.18.0.1`, an octet term.
        // Exclusions are left out so the walk below stays short.
        let named = TargetSet(terms: targets.terms)
        guard let reparsed = try? TargetSet(parsing: [named.description]) else {
            fatalError("a target set's description does not parse")
        }
        require(reparsed.count == named.count, "a reparsed target set has another size")
        require(reparsed.addresses.prefix(64).elementsEqual(named.addresses.prefix(64)),
                "a reparsed target set names other addresses")
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
