/// The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
/// big-endian words. Used by IPv4 headers, ICMP, and (with a pseudo-header) TCP and UDP.
///
/// The running sum is kept in 64 bits and folded only at the end, so adding any realistic amount of
/// data cannot overflow; all additions are wrapping on purpose (`&+`).
public struct InternetChecksum: Sendable {
    private var sum: UInt64 = 0
    /// True when an odd number of bytes has been added: the next byte is the low half of a word.
    private var odd = false

    public init() {}

    /// Adds bytes as if they directly followed everything added before (odd lengths are handled).
    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        let count = bytes.count
        if odd, count > 0 {
            sum &+= UInt64(bytes[0])
            index = 1
            odd = false
        }
        while index + 1 < count {
            sum &+= UInt64(bytes[index]) << 8 | UInt64(bytes[index + 1])
            index += 2
        }
        if index < count {
            sum &+= UInt64(bytes[index]) << 8
            odd = true
        }
    }

    public mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { add($0) }
    }

    /// Adds a 16-bit value as two big-endian bytes (pseudo-header fields are added this way).
    public mutating func add(_ word: UInt16) {
        if odd {
            addByte(UInt8(truncatingIfNeeded: word >> 8))
            addByte(UInt8(truncatingIfNeeded: word))
        } else {
            sum &+= UInt64(word)
        }
    }

    /// Adds a 32-bit value as four big-endian bytes.
    public mutating func add(_ word: UInt32) {
        add(UInt16(truncatingIfNeeded: word >> 16))
        add(UInt16(truncatingIfNeeded: word))
    }

    /// Adds a 128-bit value (an IPv6 address) as sixteen big-endian bytes.
    public mutating func add(_ value: UInt128) {
        for shift in stride(from: 112, through: 0, by: -16) {
            add(UInt16(truncatingIfNeeded: value >> UInt128(shift)))
        }
    }

    private mutating func addByte(_ byte: UInt8) {
        sum &+= odd ? UInt64(byte) : UInt64(byte) << 8
        odd.toggle()
    }

    /// The ones' complement sum folded to 16 bits (not yet complemented).
    public var foldedSum: UInt16 {
        var folded = sum
        while folded >> 16 != 0 { folded = (folded & 0xFFFF) &+ (folded >> 16) }
        return UInt16(truncatingIfNeeded: folded)
    }

    /// The value to store in a checksum field.
    public var checksum: UInt16 { ~foldedSum }

    /// True when the data added included its own checksum field and that field is correct:
    /// a correct checksum makes the whole sum come out as all ones.
    public var isValid: Bool { foldedSum == 0xFFFF }

    // MARK: One-shot helper

    /// The checksum of data whose checksum field is zero (an IPv4 header, an ICMPv4 message).
    /// (Checking a received one is for the tests: the kernel has dropped bad ones before a raw
    /// socket sees them, and replies are matched by their cookie.)
    public static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var accumulator = InternetChecksum()
        accumulator.add(bytes)
        return accumulator.checksum
    }
}

extension InternetChecksum {
    /// `--badsum`: a checksum field value that can never verify in place of `correct`, and is never
    /// zero (a zero UDP checksum over IPv4 means "not computed", which a receiver would accept).
    /// nmap subtracts one; so does this, stepping past the two values that stand for the same
    /// ones'-complement number as `correct` (0x0000 and 0xFFFF are both zero).
    public static func corrupted(_ correct: UInt16) -> UInt16 {
        let wrong = correct &- 1
        return wrong == 0 || wrong == 0xFFFF ? 0xFFFE : wrong
    }
}
