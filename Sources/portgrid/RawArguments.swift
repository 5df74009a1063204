import Glibc

/// The command line as the kernel passed it: bytes. Swift's `CommandLine.arguments` repairs bytes that
/// are not UTF-8 into U+FFFD, so a file named with byte 0xff would be written under another name; the
/// output paths are therefore taken from here, where each is still the bytes the shell gave.
struct RawArguments {
    let bytes: [[UInt8]]

    static var current: RawArguments {
        let argv = (0..<Int(CommandLine.argc)).map { index -> [UInt8] in
            guard let pointer = CommandLine.unsafeArgv[index] else { return [] }
            return Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
        }
        return RawArguments(bytes: argv)
    }

    /// Whether `flag` was typed, alone or as `flag=VALUE`, before any `--`.
    func contains(_ flag: String) -> Bool {
        let name = Array(flag.utf8)
        for argument in bytes.dropFirst() {
            if argument == Array("--".utf8) { return false }
            if argument == name || argument.starts(with: name + [UInt8(ascii: "=")]) { return true }
        }
        return false
    }

    /// The bytes of `flag`'s last value (`-oJ VALUE` or `-oJ=VALUE`), when they are what the parser read
    /// as `parsed`; otherwise `parsed`'s own UTF-8 (a spelling this scan did not foresee costs only the
    /// byte-exactness, never the value).
    func value(of flag: String, parsed: String) -> [UInt8] {
        let name = Array(flag.utf8)
        var found: [UInt8]?
        var index = 1
        while index < bytes.count {
            let argument = bytes[index]
            if argument == Array("--".utf8) { break }
            if argument == name, index + 1 < bytes.count {
                found = bytes[index + 1]
                index += 2
                continue
            }
            if argument.starts(with: name + [UInt8(ascii: "=")]) { found = Array(argument.dropFirst(name.count + 1)) }
            index += 1
        }
        guard let found, String(decoding: found, as: UTF8.self) == parsed else { return Array(parsed.utf8) }
        return found
    }
}
