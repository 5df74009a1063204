/// The eight TCP control bits of header byte 13 (RFC 9293; ECE/CWR from RFC 3168).
public struct TCPFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
    public static let ece = TCPFlags(rawValue: 0x40)
    public static let cwr = TCPFlags(rawValue: 0x80)

    /// Probe flag sets named as nmap names its scans.
    public static let xmas: TCPFlags = [.fin, .psh, .urg]
    public static let synAck: TCPFlags = [.syn, .ack]

    /// Letters in tcpdump order, e.g. "SA" for SYN/ACK, "." for none.
    public var description: String {
        let names: [(TCPFlags, Character)] = [
            (.fin, "F"), (.syn, "S"), (.rst, "R"), (.psh, "P"),
            (.ack, "A"), (.urg, "U"), (.ece, "E"), (.cwr, "W"),
        ]
        let letters = names.compactMap { contains($0.0) ? $0.1 : nil }
        return letters.isEmpty ? "." : String(letters)
    }
}
