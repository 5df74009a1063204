/// Dotted-quad formatting and parsing for IPv4 addresses held as host-order `UInt32` values
/// (`0x7F000001` is 127.0.0.1). Deliberately minimal: full target syntax lives in PortgridCore.
public enum IPv4 {
    /// "a.b.c.d" for a host-order address.
    public static func format(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }

    /// Parses exactly four decimal octets 0...255 separated by dots; nil for anything else.
    public static func parse(_ text: some StringProtocol) -> UInt32? {
        var address: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                // Three digits at most keeps `current` tiny, so no overflow is possible.
                guard digits < 3 else { return nil }
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: "."):
                guard digits > 0, current <= 255, octets < 3 else { return nil }
                address = address << 8 | current
                octets += 1
                current = 0
                digits = 0
            default:
                return nil
            }
        }
        guard digits > 0, current <= 255, octets == 3 else { return nil }
        return address << 8 | current
    }
}
