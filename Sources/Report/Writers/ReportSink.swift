import PortgridCore

/// A writer's text on its way out, handed on in chunks of `limit` bytes (the last one shorter): a
/// report is never held whole, only the chunk being filled. Writers put their pieces straight in
/// (text, numbers) rather than join them into strings first: a /16's report is 65,536 hosts, and
/// the intermediate strings and arrays were most of the time it took to write.
final class ReportSink: TextOutputStream {
    /// Big enough that a chunk costs one write per output, small beside the process.
    static let chunkSize = 64 * 1024

    /// The chunk being filled: its first `filled` bytes. Raw memory, so a small piece is one copy
    /// (an array's append of each of a /16's million pieces cost more than the copy).
    private let buffer: UnsafeMutablePointer<UInt8>
    private var filled = 0
    private let limit: Int
    private let deliver: (UnsafeRawBufferPointer) -> Void

    /// `deliver` gets each full chunk, and the rest at `flush`.
    init(limit: Int = ReportSink.chunkSize, deliver: @escaping (UnsafeRawBufferPointer) -> Void) {
        precondition(limit > 0, "a chunk holds at least one byte")
        self.limit = limit
        self.deliver = deliver
        buffer = .allocate(capacity: limit)
    }

    deinit { buffer.deallocate() }

    /// Disfavoured, so that a literal goes to `write(_: StaticString)`, which needs no String.
    @_disfavoredOverload
    func write(_ string: String) {
        if string.utf8.withContiguousStorageIfAvailable(append) != nil { return }
        var string = string
        string.withUTF8 { append($0) }
    }

    /// A literal: its bytes straight from the binary (a /16's JSON is 1.3 million of them, and
    /// each cost a String's checks first).
    func write(_ text: StaticString) {
        if text.hasPointerRepresentation {
            append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        } else {
            write(text.description)
        }
    }

    /// An address as its `description` writes it; an IPv4 address without making that string.
    func write(address: IPAddress) {
        guard case .v4(let v4) = address else { return write(address.description) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 15) { text in
            var end = 0
            func put(_ octet: UInt8, dot: Bool = true) {
                if dot {
                    text[end] = UInt8(ascii: ".")
                    end += 1
                }
                if octet >= 100 {
                    text[end] = UInt8(ascii: "0") + octet / 100
                    end += 1
                }
                if octet >= 10 {
                    text[end] = UInt8(ascii: "0") + octet / 10 % 10
                    end += 1
                }
                text[end] = UInt8(ascii: "0") + octet % 10
                end += 1
            }
            let (a, b, c, d) = v4.octets
            put(a, dot: false)
            put(b)
            put(c)
            put(d)
            append(UnsafeBufferPointer(rebasing: text[..<end]))
        }
    }

    /// A number in decimal, as `"\(value)"` would write it, without making that string.
    func write<Number: BinaryInteger>(number value: Number) {
        // 20 digits and a sign hold any 64-bit value; wider ones go through their description.
        guard value.bitWidth <= 64 else { return write(String(value)) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { digits in
            var magnitude = UInt64(value.magnitude), end = digits.count, start = end
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            append(UnsafeBufferPointer(rebasing: digits[start..<end]))
        }
    }

    /// `count` blanks (a table's padding).
    func pad(_ count: Int) {
        var left = count
        while left > 0 {
            let run = min(left, Self.blanks.count)
            Self.blanks.withUnsafeBufferPointer { append(UnsafeBufferPointer(rebasing: $0[..<run])) }
            left -= run
        }
    }

    private static let blanks = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    /// What `body` writes, as a string: the string form of a piece the writers put in a sink.
    static func text(_ body: (ReportSink) -> Void) -> String {
        var bytes: [UInt8] = []
        let sink = ReportSink(limit: 256) { bytes.append(contentsOf: $0) }
        body(sink)
        sink.flush()
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes already made (a number's digits).
    func write(bytes: UnsafeBufferPointer<UInt8>) { append(bytes) }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        var rest = bytes
        while !rest.isEmpty {
            let taken = min(rest.count, limit - filled)
            (buffer + filled).initialize(from: rest.baseAddress!, count: taken)
            filled += taken
            rest = UnsafeBufferPointer(rebasing: rest[taken...])
            if filled == limit { flush() }
        }
    }

    /// Hands on what the buffer holds (the end of a report).
    func flush() {
        guard filled > 0 else { return }
        deliver(UnsafeRawBufferPointer(start: buffer, count: filled))
        filled = 0
    }
}
