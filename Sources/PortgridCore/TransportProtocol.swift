public enum TransportProtocol: String, Hashable, Comparable, Sendable, CaseIterable {
    case tcp
    case udp

    public static func < (a: Self, b: Self) -> Bool { a == .tcp && b == .udp }
}
