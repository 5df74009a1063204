import PortgridCore

/// One port's merged answer while a host's report is built: the store's 8-byte cell with its port
/// and technique, where a `PortResult` would also repeat the host. Only the ports a report lists
/// become `PortResult`s; the folded tens of thousands stay these.
public struct PortAnswer: Hashable, Sendable, FoldablePort {
    public var port: UInt16
    public var technique: Technique
    public var cell: PortCell

    public var proto: TransportProtocol { technique.transport }
    public var state: PortState { cell.state }
    public var reason: Reason { cell.reason }

    public func result(host: IPAddress) -> PortResult { cell.result(host: host, port: port, technique: technique) }
}

/// What folding reads of a port: the same rule applies to stored answers and to `PortResult`s.
public protocol FoldablePort {
    var port: UInt16 { get }
    var proto: TransportProtocol { get }
    var state: PortState { get }
    var reason: Reason { get }
}

extension PortResult: FoldablePort {}
