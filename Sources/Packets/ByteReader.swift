/// A bounds-checked, big-endian cursor over borrowed bytes.
///
/// Every read checks the remaining length first and throws `PacketError.truncated` naming the layer
/// being parsed, so parsers can read field after field without any index arithmetic that could trap.
/// It borrows an `UnsafeRawBufferPointer` (no copy), which is why it is internal and only ever lives
/// inside a `withUnsafeBytes` scope.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let layer: PacketError.Layer
    private(set) var offset: Int = 0

    init(_ bytes: UnsafeRawBufferPointer, layer: PacketError.Layer) {
        self.bytes = bytes
        self.layer = layer
    }

    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are available.
    func require(_ count: Int) throws(PacketError) {
        guard count >= 0, count <= remaining else {
            throw .truncated(layer, needed: offset + max(count, 0), available: bytes.count)
        }
    }

    mutating func readUInt8() throws(PacketError) -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func readUInt16() throws(PacketError) -> UInt16 {
        try require(2)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func readUInt32() throws(PacketError) -> UInt32 { try readBigEndian() }

    mutating func readUInt128() throws(PacketError) -> UInt128 { try readBigEndian() }

    /// The next `T`'s worth of bytes as a big-endian integer (a field on the wire).
    private mutating func readBigEndian<T: FixedWidthInteger & UnsignedInteger>() throws(PacketError) -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        defer { offset += size }
        var value: T = 0
        for index in offset..<offset + size { value = value << 8 | T(bytes[index]) }
        return value
    }

    /// Borrows the next `count` bytes without copying them.
    mutating func readBytes(_ count: Int) throws(PacketError) -> UnsafeRawBufferPointer {
        try require(count)
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    /// Borrows everything that is left.
    mutating func readRest() -> UnsafeRawBufferPointer {
        defer { offset = bytes.count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset...])
    }
}
