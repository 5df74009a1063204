/// A TCP header (RFC 9293). The data offset is not stored: it follows from `options`.
public struct TCPHeader: Sendable, Hashable {
    public static let minimumLength = 20

    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var sequenceNumber: UInt32
    public var acknowledgmentNumber: UInt32
    /// The four bits between data offset and flags (three reserved + AE/NS). Kept so a parsed
    /// header serializes back to the same bytes.
    public var reservedBits: UInt8
    public var flags: TCPFlags
    public var window: UInt16
    public var checksum: UInt16
    public var urgentPointer: UInt16
    public var options: TCPOptions

    public init(
        sourcePort: UInt16, destinationPort: UInt16, sequenceNumber: UInt32 = 0,
        acknowledgmentNumber: UInt32 = 0, reservedBits: UInt8 = 0, flags: TCPFlags,
        window: UInt16 = 1024, checksum: UInt16 = 0, urgentPointer: UInt16 = 0,
        options: TCPOptions = TCPOptions()
    ) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.reservedBits = reservedBits & 0x0F
        self.flags = flags
        self.window = window
        self.checksum = checksum
        self.urgentPointer = urgentPointer
        self.options = options
    }

    /// Header length in bytes (data offset × 4): 20 plus padded options, at most 60.
    public var headerLength: Int { Self.minimumLength + options.count }

    // MARK: Serialize

    /// Appends the header as its fields say (checksum not recomputed).
    public func serialize(into bytes: inout [UInt8]) {
        bytes.appendBigEndian(sourcePort)
        bytes.appendBigEndian(destinationPort)
        bytes.appendBigEndian(sequenceNumber)
        bytes.appendBigEndian(acknowledgmentNumber)
        bytes.append(UInt8(truncatingIfNeeded: headerLength / 4) << 4 | reservedBits & 0x0F)
        bytes.append(flags.rawValue)
        bytes.appendBigEndian(window)
        bytes.appendBigEndian(checksum)
        bytes.appendBigEndian(urgentPointer)
        options.raw.append(to: &bytes)
    }

    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(headerLength)
        serialize(into: &result)
        return result
    }

    /// Sets `checksum` for this header followed by `payload`, sent from `source` to `destination`.
    public mutating func updateChecksum(source: UInt32, destination: UInt32, payload: [UInt8] = []) {
        checksum = 0
        var segment = bytes
        segment.append(contentsOf: payload)
        checksum = PseudoHeader.ipv4(source: source, destination: destination, protocol: .tcp).checksum(segment)
    }

    /// IPv6 variant of `updateChecksum`.
    public mutating func updateChecksum(source: UInt128, destination: UInt128, payload: [UInt8] = []) {
        checksum = 0
        var segment = bytes
        segment.append(contentsOf: payload)
        checksum = PseudoHeader.ipv6(source: source, destination: destination, nextHeader: .tcp).checksum(segment)
    }

    // MARK: Parse

    /// Parses the header at the start of a TCP segment. The payload is whatever follows
    /// `headerLength`. Throws when the data offset is below 5 or past the end, or an option lies.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(PacketError) -> TCPHeader {
        var reader = ByteReader(bytes, layer: .tcp)
        try reader.require(minimumLength)
        let sourcePort = try reader.readUInt16()
        let destinationPort = try reader.readUInt16()
        let sequence = try reader.readUInt32()
        let acknowledgment = try reader.readUInt32()
        let offsetByte = try reader.readUInt8()
        let headerLength = Int(offsetByte >> 4) * 4
        guard headerLength >= minimumLength else {
            throw .headerLengthTooSmall(.tcp, length: headerLength, minimum: minimumLength)
        }
        guard headerLength <= bytes.count else {
            throw .headerLengthPastEnd(.tcp, length: headerLength, available: bytes.count)
        }
        let flags = try reader.readUInt8()
        let window = try reader.readUInt16()
        let checksum = try reader.readUInt16()
        let urgent = try reader.readUInt16()
        let options = try OptionBytes(reader.readBytes(headerLength - minimumLength), layer: .tcp)
        return TCPHeader(
            sourcePort: sourcePort, destinationPort: destinationPort, sequenceNumber: sequence,
            acknowledgmentNumber: acknowledgment, reservedBits: offsetByte & 0x0F,
            flags: TCPFlags(rawValue: flags), window: window, checksum: checksum,
            urgentPointer: urgent, options: TCPOptions(raw: options))
    }

    public static func parse(_ bytes: [UInt8]) throws(PacketError) -> TCPHeader {
        try withBorrowedBytes(bytes) { (raw) throws(PacketError) in try parse(raw) }
    }
}
