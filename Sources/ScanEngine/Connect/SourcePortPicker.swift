import Synchronization

/// Local ports for probe sockets, bound once and kept across reuse. A socket bound to an explicit
/// port keeps it when a refused connect closes it, so its next connect skips the kernel's search
/// for a free ephemeral port (and the release of the old one): a few percent of a closed port's
/// kernel time. Ports come from the kernel's own ephemeral range, walked from a random start and
/// shared by a scan's workers; a port someone else holds is skipped, and after a few misses the
/// socket is left for the kernel to bind.
final class SourcePortPicker: Sendable {
    let range: ClosedRange<UInt16>
    private let next: Atomic<UInt64>

    static let attempts = 8

    init(range: ClosedRange<UInt16>, start: UInt64) {
        self.range = range
        next = Atomic(start)
    }

    /// The next candidate port.
    func candidate() -> UInt16 {
        let offset = next.add(1, ordering: .relaxed).oldValue % UInt64(range.count)
        return range.lowerBound + UInt16(offset)
    }

    /// Binds `socket` to a free port of the range; false when none of a few candidates was free
    /// (the connect then binds an ephemeral port itself, as for any socket).
    func bind(_ socket: SocketDescriptor, family: CInt, sockets: SocketOperations) -> Bool {
        for _ in 0..<Self.attempts {
            do {
                try sockets.bind(socket, family: family, port: candidate())
                return true
            } catch {
                if error != .addressInUse { return false }
            }
        }
        return false
    }
}
