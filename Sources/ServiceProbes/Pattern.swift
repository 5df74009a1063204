import CPCRE2

/// One compiled Perl-compatible pattern of a `match` line, matched against raw response bytes.
/// The compiled code is never changed after compiling, so it is shared between threads; each match gets
/// its own match data. Match and depth limits bound the work a hostile response can cause.
public final class Pattern: @unchecked Sendable {
    public let source: String
    private let code: OpaquePointer
    private let context: OpaquePointer?

    /// The capture groups of one successful match; a group that did not take part is nil.
    public struct Captures: Sendable, Equatable {
        public var groups: [[UInt8]?]
        public subscript(index: Int) -> [UInt8]? { index < groups.count ? groups[index] : nil }
    }

    public convenience init(_ source: String, caseless: Bool = false, dotAll: Bool = false) throws(PatternError) {
        try self.init(bytes: Array(source.utf8), caseless: caseless, dotAll: dotAll)
    }

    /// Patterns are bytes (nmap writes \xNN escapes and the odd raw Latin-1 byte), never decoded first.
    public init(bytes: [UInt8], caseless: Bool = false, dotAll: Bool = false) throws(PatternError) {
        var options: UInt32 = 0
        if caseless { options |= pg_pcre2_caseless() }
        if dotAll { options |= pg_pcre2_dotall() }
        var errorCode: Int32 = 0
        var errorOffset = 0
        guard let compiled = bytes.withUnsafeBufferPointer({
            pg_pcre2_compile($0.baseAddress, $0.count, options, &errorCode, &errorOffset)
        }) else {
            throw PatternError(message: Self.message(errorCode), offset: errorOffset)
        }
        self.source = String(decoding: bytes, as: UTF8.self)
        self.code = compiled
        self.context = pg_pcre2_match_context_create(100_000, 10_000)
    }

    deinit {
        if let context { pg_pcre2_match_context_free(context) }
        pg_pcre2_code_free(code)
    }

    /// The captures when `subject` matches, nil when it does not (or a limit was hit: no answer is no match).
    public func match(_ subject: [UInt8]) -> Captures? {
        guard let data = pg_pcre2_match_data_create(code) else { return nil }
        defer { pg_pcre2_match_data_free(data) }
        // PCRE2 wants a non-null subject even when it is empty.
        var empty: UInt8 = 0
        let result = subject.isEmpty ? pg_pcre2_match(code, &empty, 0, data, context)
            : subject.withUnsafeBufferPointer { pg_pcre2_match(code, $0.baseAddress, $0.count, data, context) }
        guard result > 0 else { return nil }
        let ovector = pg_pcre2_ovector(data)!
        let unset = pg_pcre2_unset()
        var groups: [[UInt8]?] = []
        groups.reserveCapacity(Int(result))
        for index in 0..<Int(result) {
            let start = ovector[2 * index], end = ovector[2 * index + 1]
            groups.append(start == unset || end < start ? nil : Array(subject[start..<end]))
        }
        return Captures(groups: groups)
    }

    public func matches(_ subject: [UInt8]) -> Bool { match(subject) != nil }

    private static func message(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pg_pcre2_error_message(code, &buffer, buffer.count)
        guard length > 0 else { return "PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }
}

public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var description: String { "\(message) at offset \(offset)" }
}
