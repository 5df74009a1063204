/// A writer's text on its way out, handed on in chunks of `limit` bytes (the last one shorter): a
/// report is never held whole, only the chunk being filled.
final class ReportSink: TextOutputStream {
    /// Big enough that a chunk costs one write per output, small beside the process.
    static let chunkSize = 64 * 1024

    private var buffer: [UInt8] = []
    private let limit: Int
    private let deliver: (UnsafeRawBufferPointer) -> Void

    /// `deliver` gets each full chunk, and the rest at `flush`.
    init(limit: Int = ReportSink.chunkSize, deliver: @escaping (UnsafeRawBufferPointer) -> Void) {
        precondition(limit > 0, "a chunk holds at least one byte")
        self.limit = limit
        self.deliver = deliver
        buffer.reserveCapacity(limit)
    }

    func write(_ string: String) {
        var string = string
        string.withUTF8 { append($0) }
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        var rest = bytes[...]
        while !rest.isEmpty {
            let taken = rest.prefix(limit - buffer.count)
            buffer.append(contentsOf: taken)
            rest = rest[taken.endIndex...]
            if buffer.count == limit { flush() }
        }
    }

    /// Hands on what the buffer holds (the end of a report).
    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes(deliver)
        buffer.removeAll(keepingCapacity: true)
    }
}
