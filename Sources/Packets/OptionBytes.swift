/// Up to 40 bytes of header options stored inline (IPv4 and TCP both cap options at 40 bytes),
/// so parsing a header with options allocates nothing on the receive hot path.
///
/// IPv4 and TCP options share one layout: kind 0 ends the list, kind 1 is a one-byte no-op, any
/// other kind is followed by a length byte covering kind, length and data. `validate` walks that
/// layout once so later iteration can assume it is well formed.
struct OptionBytes: Sendable {
    static let capacity = 40

    private var storage = InlineArray<40, UInt8>(repeating: 0)
    private(set) var count = 0

    init() {}

    /// Copies and validates option bytes; the count must already be a multiple of 4 for parsed
    /// headers, and builders pad with end-of-list bytes to get there.
    init(_ bytes: UnsafeRawBufferPointer, layer: PacketError.Layer) throws(PacketError) {
        guard bytes.count <= Self.capacity else { throw .optionsTooLong(layer, length: bytes.count) }
        for index in 0..<bytes.count { storage[index] = bytes[index] }
        count = bytes.count
        try validate(layer: layer)
    }

    /// A lone MSS option, written straight into storage: probe builders use it per packet, and four
    /// bytes of kind 2 / length 4 are valid by construction.
    init(mss: UInt16) {
        storage[0] = 2
        storage[1] = 4
        storage[2] = UInt8(truncatingIfNeeded: mss >> 8)
        storage[3] = UInt8(truncatingIfNeeded: mss)
        count = 4
    }

    subscript(index: Int) -> UInt8 { storage[index] }

    var array: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(count)
        for index in 0..<count { result.append(storage[index]) }
        return result
    }

    /// Walks the kind/length chain; throws if an option's length byte is missing, below 2, or
    /// would run past the end. Bytes after an end-of-list option are padding and are not inspected.
    func validate(layer: PacketError.Layer) throws(PacketError) {
        var offset = 0
        while offset < count {
            let kind = storage[offset]
            if kind == 0 { return }
            if kind == 1 { offset += 1; continue }
            guard offset + 1 < count else { throw .optionPastEnd(layer, kind: kind, offset: offset) }
            let length = Int(storage[offset + 1])
            guard length >= 2 else { throw .optionLengthInvalid(layer, kind: kind, length: length) }
            guard offset + length <= count else { throw .optionPastEnd(layer, kind: kind, offset: offset) }
            offset += length
        }
    }

    /// Calls `body(kind, dataRange)` for each option up to end-of-list, no-ops included.
    /// Assumes `validate` passed (it is run by every initializer).
    func forEachOption(_ body: (UInt8, Range<Int>) -> Void) {
        var offset = 0
        while offset < count {
            let kind = storage[offset]
            if kind == 0 { return }
            if kind == 1 { body(kind, offset + 1..<offset + 1); offset += 1; continue }
            guard offset + 1 < count else { return }
            let length = Int(storage[offset + 1])
            guard length >= 2, offset + length <= count else { return }
            body(kind, offset + 2..<offset + length)
            offset += length
        }
    }

    func append(to bytes: inout [UInt8]) {
        for index in 0..<count { bytes.append(storage[index]) }
    }
}

// InlineArray is not Equatable, so compare (and hash) the used prefix by hand.
extension OptionBytes: Hashable {
    static func == (lhs: OptionBytes, rhs: OptionBytes) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lhs.storage[index] != rhs.storage[index] { return false }
        return true
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for index in 0..<count { hasher.combine(storage[index]) }
    }
}

extension OptionBytes {
    /// Builds padded option bytes from already-encoded options: end-of-list padding up to a
    /// multiple of 4 because header lengths count 32-bit words.
    init(encoded: [UInt8], layer: PacketError.Layer) throws(PacketError) {
        guard encoded.count <= Self.capacity else { throw .optionsTooLong(layer, length: encoded.count) }
        var padded = encoded
        while padded.count % 4 != 0 { padded.append(0) }
        self = try withBorrowedBytes(padded) { (raw) throws(PacketError) in
            try OptionBytes(raw, layer: layer)
        }
    }
}
