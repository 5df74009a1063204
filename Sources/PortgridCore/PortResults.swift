/// A batch of port results, as `ScanEvent.results` carries it. While every result in it is alike
/// but for its host and port (the same technique, protocol and answer, as the ports a pass's end
/// gives up silent are), the batch keeps those two alone: 6 bytes a result for IPv4, where a
/// `PortResult` takes 32. A dead /16's 65,536 silent verdicts come at once and wait in the stream
/// for the consumer: 0.4 MB so, 2 MB as a list. A result unlike the others turns the batch into a
/// plain list of results.
public struct PortResults: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    /// What the alike results share.
    private struct Shared: Hashable, Sendable {
        var proto: TransportProtocol
        var technique: Technique
        var cell: PortCell

        init(_ result: PortResult) {
            proto = result.proto
            technique = result.technique
            cell = result.cell
        }
    }

    /// The results, once one was unlike the others; else empty.
    private var listed: [PortResult] = []
    /// While the results are alike: what they share, and each one's host and port.
    private var shared: Shared?
    private var hosts = AddressColumn()
    private var ports: [UInt16] = []

    public init() {}

    public init(_ results: some Sequence<PortResult>) {
        append(contentsOf: results)
    }

    public init(arrayLiteral results: PortResult...) {
        append(contentsOf: results)
    }

    public mutating func append(_ result: PortResult) {
        if listed.isEmpty {
            let common = Shared(result)
            if shared == nil || shared == common {
                shared = common
                hosts.append(result.host)
                ports.append(result.port)
                return
            }
            listed = Array(self)
            shared = nil
            hosts = AddressColumn()
            ports = []
        }
        listed.append(result)
    }

    public mutating func append(contentsOf results: some Sequence<PortResult>) {
        for result in results { append(result) }
    }

    /// Whether the batch keeps only each result's host and port (its results are alike).
    var keepsHostsAndPortsOnly: Bool { listed.isEmpty }

    public var startIndex: Int { 0 }
    public var endIndex: Int { listed.isEmpty ? ports.count : listed.count }

    public subscript(position: Int) -> PortResult {
        guard listed.isEmpty, let shared else { return listed[position] }
        return PortResult(host: hosts[position], proto: shared.proto, port: ports[position],
                          technique: shared.technique, cell: shared.cell)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.elementsEqual(rhs) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for result in self { hasher.combine(result) }
    }
}
