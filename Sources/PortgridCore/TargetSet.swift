/// The addresses to scan: terms to include and terms to exclude, walked lazily by index.
public struct TargetSet: Hashable, Sendable {
    /// Beyond this the scan is refused rather than started: 16.7 million hosts is a /8.
    public static let maxAddresses: UInt64 = 1 << 24

    public var terms: [TargetTerm]
    public var excluded: [TargetTerm]

    public init(terms: [TargetTerm], excluded: [TargetTerm] = []) {
        self.terms = terms
        self.excluded = excluded
    }

    public init(parsing arguments: [String], excluding: [String] = []) throws(SpecError) {
        let terms = try TargetSpec.parse(arguments)
        let excluded = excluding.isEmpty ? [] : try TargetSpec.parse(excluding)
        let total = terms.reduce(UInt64(0)) { $0 &+ $1.count }
        if total > Self.maxAddresses {
            throw .targetTooLarge(arguments.joined(separator: " "), count: total)
        }
        self.init(terms: terms, excluded: excluded)
    }

    /// Addresses named, before exclusions (a host name as what it resolves to: one, or its block).
    public var count: UInt64 { terms.reduce(0) { $0 + $1.count } }

    public var hostnames: [String] {
        terms.compactMap { if case .hostname(let name, _) = $0 { name } else { nil } }
    }

    public func isExcluded(_ address: IPAddress) -> Bool {
        excluded.contains { $0.contains(address) }
    }

    /// The literal addresses in order, exclusions removed. Lazy: nothing is stored.
    public var addresses: some Sequence<IPAddress> {
        terms.lazy.flatMap { term in
            (0..<(term.address(at: 0) == nil ? 0 : term.count)).lazy.compactMap { term.address(at: $0) }
        }.filter { !self.isExcluded($0) }
    }

    public var description: String { terms.map(\.description).joined(separator: " ") }
}
