import FoundationEssentials

/// nmap's table of hardware vendors by the first three bytes of a MAC address (nmap-mac-prefixes:
/// `3E38D5 Vendor name` lines), so a MAC address reads as nmap prints it: `3E:38:D5:94:DB:D7 (Unknown)`.
public struct MACVendors: Sendable {
    /// Vendor names by the address's first three bytes.
    private var byPrefix: [UInt32: String] = [:]
    /// A table was read (a file or text), even if it named none of the addresses asked about.
    private var read = false

    public init() {}

    /// The table in nmap's format; lines that are not `HEX6 name` are skipped.
    public init(parsing text: String) {
        self.init(parsing: Array(text.utf8), keeping: nil)
    }

    /// The table's entries for `prefixes` only (all of them when nil). Read byte by byte: the file
    /// has about 32,000 lines and a report needs the vendors of its few on-link hosts, so no line
    /// becomes a String unless its prefix is wanted (parsing every line as text took longer than
    /// the rest of a one-host report).
    init(parsing bytes: [UInt8], keeping prefixes: Set<UInt32>?) {
        read = true
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                var end = start
                while end < buffer.count, buffer[end] != UInt8(ascii: "\n") { end += 1 }
                let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
                if let prefix = Self.linePrefix(line), prefixes?.contains(prefix) ?? true, let name = Self.name(line) {
                    byPrefix[prefix] = name
                }
                start = end + 1
            }
        }
    }

    /// The prefix of a `HEX6 name` line; nil for a comment or a malformed line.
    private static func linePrefix(_ line: UnsafeBufferPointer<UInt8>) -> UInt32? {
        guard line.count > 7, line[6] == UInt8(ascii: " ") else { return nil }
        var prefix: UInt32 = 0
        for index in 0..<6 {
            guard let digit = hexValue(line[index]) else { return nil }
            prefix = prefix << 4 | digit
        }
        return prefix
    }

    /// The name after the prefix, trimmed; nil when blank.
    private static func name(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        var first = 7, last = line.count
        while first < last, isBlank(line[first]) { first += 1 }
        while last > first, isBlank(line[last - 1]) { last -= 1 }
        guard first < last else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: line[first..<last]), as: UTF8.self)
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The first three bytes of `mac` (`3E:38:D5:94:DB:D7`, any separators), nil if it has fewer.
    static func prefix(of mac: String) -> UInt32? {
        var prefix: UInt32 = 0, digits = 0
        for byte in mac.utf8 where digits < 6 {
            guard let digit = hexValue(byte) else { continue }
            prefix = prefix << 4 | digit
            digits += 1
        }
        return digits == 6 ? prefix : nil
    }

    /// nmap's file where nmap is installed, kept to the vendors of `macs`; an empty table otherwise
    /// (every vendor then unknown).
    public static func load(for macs: some Sequence<String>,
                            path: String = NmapDataFiles.directory + "/nmap-mac-prefixes") -> MACVendors {
        guard let data = FileManager.default.contents(atPath: path) else { return MACVendors() }
        return MACVendors(parsing: [UInt8](data), keeping: Set(macs.compactMap(prefix(of:))))
    }

    /// Adds what `other` read: a run written a hostgroup at a time reads its vendors group by
    /// group, and its footer (normal output's "Read data files from") speaks for every group.
    public mutating func merge(_ other: MACVendors) {
        byPrefix.merge(other.byPrefix) { first, _ in first }
        read = read || other.read
    }

    /// No table was read: the report does not name nmap's data directory for it.
    public var isEmpty: Bool { !read }

    /// The vendor of `mac` (`3E:38:D5:94:DB:D7`), nil when the table does not know its prefix.
    public func vendor(of mac: String) -> String? {
        Self.prefix(of: mac).flatMap { byPrefix[$0] }
    }
}
