/// The source address each host's probes carry, by host index. Nearly always one address for all
/// (every target behind the same route, or `-S`): then it is kept once, not 4 bytes a host (16 for
/// IPv6) through the whole scan of a /16.
struct HostSources<Address: FixedWidthInteger & Sendable>: Sendable, ExpressibleByArrayLiteral {
    private enum Storage: Sendable {
        case same(Address)
        case each([Address])
    }

    private let storage: Storage

    init(_ each: [Address]) {
        if let first = each.first, each.allSatisfy({ $0 == first }) {
            storage = .same(first)
        } else {
            storage = .each(each)
        }
    }

    /// `address` for every host.
    init(same address: Address) { storage = .same(address) }

    init(arrayLiteral elements: Address...) { self.init(elements) }

    subscript(host: Int) -> Address {
        switch storage {
        case .same(let address): address
        case .each(let addresses): addresses[host]
        }
    }
}
