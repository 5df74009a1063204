/// A file name as the kernel sees it: bytes, not text. A name that is not valid UTF-8 (byte 0xff) is
/// written to exactly that name; only messages show it, with `\xff` for each byte that is not text.
public struct ReportPath: Hashable, Sendable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { bytes = Array(text.utf8) }

    /// `-`: standard output.
    public var isStandardOutput: Bool { bytes == [UInt8(ascii: "-")] }
    public var isEmpty: Bool { bytes.isEmpty }
    var isAbsolute: Bool { bytes.first == UInt8(ascii: "/") }

    /// The name for messages: UTF-8 as it is, every other byte as `\xNN`.
    public var description: String {
        var text = ""
        var rest = bytes[...]
        while !rest.isEmpty {
            let (scalar, length) = Self.decodeOne(rest)
            if let scalar { text.unicodeScalars.append(scalar) } else { text += "\\x" + hex(rest.first!) }
            rest = rest.dropFirst(length)
        }
        return text
    }

    /// Directory and file name; a bare name lives in the current directory.
    var split: (directory: ReportPath, name: ReportPath) {
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return (ReportPath("."), self) }
        let directory = Array(bytes[..<slash])
        return (ReportPath(bytes: directory.isEmpty ? [UInt8(ascii: "/")] : directory),
                ReportPath(bytes: Array(bytes[(slash + 1)...])))
    }

    /// `other` read from this directory: itself when absolute.
    func appending(_ other: ReportPath) -> ReportPath {
        if other.isAbsolute { return other }
        if bytes.last == UInt8(ascii: "/") { return ReportPath(bytes: bytes + other.bytes) }
        return ReportPath(bytes: bytes + [UInt8(ascii: "/")] + other.bytes)
    }

    /// The path as a C string for one call. A NUL byte cannot be in a name the shell passed; if one is
    /// here anyway, the name is cut there, as the kernel would read it.
    func withCString<T>(_ body: (UnsafePointer<CChar>) -> T) -> T {
        let cut = bytes.firstIndex(of: 0).map { Array(bytes[..<$0]) } ?? bytes
        return (cut.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    private static func decodeOne(_ bytes: ArraySlice<UInt8>) -> (Unicode.Scalar?, Int) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        switch decoder.decode(&iterator) {
        case .scalarValue(let scalar): return (scalar, UTF8.width(scalar))
        case .emptyInput, .error: return (nil, 1)
        }
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
