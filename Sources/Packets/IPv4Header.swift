/// An IPv4 header (RFC 791). Addresses are host-order `UInt32`s; version and IHL are not stored
/// because they follow from the type and from `options`.
public struct IPv4Header: Sendable, Hashable {
    public static let minimumLength = 20

    /// Type of service / DSCP + ECN byte.
    public var tos: UInt8
    /// Header plus payload, in bytes.
    public var totalLength: UInt16
    public var identification: UInt16
    public var flags: IPv4Flags
    /// In 8-byte units; only the low 13 bits are kept.
    public var fragmentOffset: UInt16
    public var ttl: UInt8
    public var `protocol`: IPProtocol
    public var checksum: UInt16
    public var source: UInt32
    public var destination: UInt32
    public var options: IPv4Options

    public init(
        tos: UInt8 = 0, totalLength: UInt16 = 20, identification: UInt16 = 0,
        flags: IPv4Flags = [], fragmentOffset: UInt16 = 0, ttl: UInt8 = 64,
        protocol proto: IPProtocol, checksum: UInt16 = 0,
        source: UInt32, destination: UInt32, options: IPv4Options = IPv4Options()
    ) {
        self.tos = tos
        self.totalLength = totalLength
        self.identification = identification
        self.flags = flags
        self.fragmentOffset = fragmentOffset & 0x1FFF
        self.ttl = ttl
        self.protocol = proto
        self.checksum = checksum
        self.source = source
        self.destination = destination
        self.options = options
    }

    /// Header length in bytes: 20 plus options (always a multiple of 4, at most 60).
    public var headerLength: Int { Self.minimumLength + options.count }

    /// True for every fragment but the first: its payload does not start with a transport header.
    public var isNonFirstFragment: Bool { fragmentOffset & 0x1FFF != 0 }

    // MARK: Serialize

    /// Appends the header exactly as its fields say (checksum included, not recomputed).
    public func serialize(into bytes: inout [UInt8]) {
        bytes.append(0x40 | UInt8(truncatingIfNeeded: headerLength / 4))
        bytes.append(tos)
        bytes.appendBigEndian(totalLength)
        bytes.appendBigEndian(identification)
        bytes.appendBigEndian(UInt16(flags.rawValue) << 13 | fragmentOffset & 0x1FFF)
        bytes.append(ttl)
        bytes.append(`protocol`.rawValue)
        bytes.appendBigEndian(checksum)
        bytes.appendBigEndian(source)
        bytes.appendBigEndian(destination)
        options.raw.append(to: &bytes)
    }

    /// The serialized header.
    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(headerLength)
        serialize(into: &result)
        return result
    }

    /// The header checksum these fields call for (computed with the checksum field as zero).
    public var computedChecksum: UInt16 {
        var copy = self
        copy.checksum = 0
        return InternetChecksum.checksum(copy.bytes)
    }

    /// Sets `checksum` to the correct value for the current fields.
    public mutating func updateChecksum() {
        checksum = computedChecksum
    }

    // MARK: Parse

    /// Parses a header from the start of a full datagram. Checks that IHL and total length are
    /// consistent with each other and with the buffer (bytes past `totalLength`, e.g. link padding,
    /// are allowed). The checksum is not verified here (the kernel already has); an
    /// `InternetChecksum` over the header bytes, checked with `isValid`, verifies it.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(PacketError) -> IPv4Header {
        try parse(bytes, layer: .ipv4, requireWholeDatagram: true)
    }

    public static func parse(_ bytes: [UInt8]) throws(PacketError) -> IPv4Header {
        try withBorrowedBytes(bytes) { (raw) throws(PacketError) in try parse(raw) }
    }

    /// `requireWholeDatagram` is false for the header quoted inside an ICMP error: the quote holds
    /// only the header and 8 payload bytes, so its total length legitimately exceeds the buffer.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, layer: PacketError.Layer, requireWholeDatagram: Bool
    ) throws(PacketError) -> IPv4Header {
        var reader = ByteReader(bytes, layer: layer)
        let versionIHL = try reader.readUInt8()
        guard versionIHL >> 4 == 4 else { throw .wrongVersion(layer, found: versionIHL >> 4) }
        let headerLength = Int(versionIHL & 0x0F) * 4
        guard headerLength >= minimumLength else {
            throw .headerLengthTooSmall(layer, length: headerLength, minimum: minimumLength)
        }
        guard headerLength <= bytes.count else {
            throw .headerLengthPastEnd(layer, length: headerLength, available: bytes.count)
        }
        let tos = try reader.readUInt8()
        let totalLength = try reader.readUInt16()
        if requireWholeDatagram {
            guard Int(totalLength) >= headerLength else {
                throw .totalLengthTooSmall(layer, length: Int(totalLength), minimum: headerLength)
            }
            guard Int(totalLength) <= bytes.count else {
                throw .totalLengthPastEnd(layer, length: Int(totalLength), available: bytes.count)
            }
        }
        let identification = try reader.readUInt16()
        let flagsFragment = try reader.readUInt16()
        let ttl = try reader.readUInt8()
        let proto = try reader.readUInt8()
        let checksum = try reader.readUInt16()
        let source = try reader.readUInt32()
        let destination = try reader.readUInt32()
        let options = try OptionBytes(reader.readBytes(headerLength - minimumLength), layer: layer)
        return IPv4Header(
            tos: tos, totalLength: totalLength, identification: identification,
            flags: IPv4Flags(rawValue: UInt8(truncatingIfNeeded: flagsFragment >> 13)),
            fragmentOffset: flagsFragment & 0x1FFF, ttl: ttl, protocol: IPProtocol(rawValue: proto),
            checksum: checksum, source: source, destination: destination,
            options: IPv4Options(raw: options))
    }
}
