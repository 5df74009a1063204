/// Numbers typed on the command line: one grammar, one range per flag, one error naming the flag, the
/// value and the range. Values are checked here, before any arithmetic uses them, so no user number
/// can overflow a Duration or an Int later (`--host-timeout 1e300` once trapped the process).
///
/// The grammar is plain decimals: digits with an optional fraction (`5`, `0.5`, `.5`). No sign,
/// exponent, hexadecimal, `inf` or `nan`: what Swift's `Double(_:)` would also accept is refused, so a
/// typo such as `1e3s` or `-1` gets the range in a sentence instead of a surprising reading.
public enum FlagNumber {
    /// A plain decimal, nil when the text is not one.
    public static func decimal(_ text: String) -> Double? {
        var digits = 0
        var dots = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            default: return nil
            }
        }
        guard digits > 0, dots <= 1 else { return nil }
        return Double(text)
    }

    /// A whole number in `range`.
    public static func integer(_ text: String, flag: String, range: ClosedRange<Int>) throws(SpecError) -> Int {
        // Digits only: `Int("+5")` would pass, and the check must not depend on how large the value is.
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let value = Int(text), range.contains(value) else {
            throw .invalidNumber(flag: flag, value: text, expected: "give a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A `--min-X` / `--max-X` pair of whole numbers, each in `range`, the floor never above the
    /// ceiling; `ceiling` is the ceiling in force when `--max-X` is not given (a template's).
    public static func integerBounds(min minText: String?, max maxText: String?, flags: (min: String, max: String),
                                     range: ClosedRange<Int>, ceiling: Int? = nil) throws(SpecError) -> (min: Int?, max: Int?) {
        var maximum = ceiling
        if let maxText { maximum = try integer(maxText, flag: flags.max, range: range) }
        guard let minText else { return (nil, maximum) }
        let minimum = try integer(minText, flag: flags.min, range: range)
        if let maximum, minimum > maximum {
            throw .invalidNumber(flag: flags.min, value: minText, expected: "it is above \(flags.max) \(maximum)")
        }
        return (minimum, maximum)
    }

    /// A decimal in `range`; `unit` words the sentence ("probes per second").
    public static func decimal(_ text: String, flag: String, range: ClosedRange<Double>, unit: String) throws(SpecError) -> Double {
        guard let value = decimal(text), range.contains(value) else {
            throw .invalidNumber(flag: flag, value: text,
                                 expected: "give \(unit) from \(plain(range.lowerBound)) to \(plain(range.upperBound))")
        }
        return value
    }

    /// nmap's time specs: a decimal with `ms`, `s`, `m` or `h`, or bare seconds. The range is checked in
    /// seconds before a `Duration` is made, so the conversion cannot overflow.
    public static func duration(_ text: String, flag: String, range: ClosedRange<Double>) throws(SpecError) -> Duration {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { text.hasSuffix($0.suffix) && decimal(String(text.dropLast($0.suffix.count))) != nil }
        let number = unit.map { String(text.dropLast($0.suffix.count)) } ?? text
        guard let value = decimal(number) else {
            throw .invalidNumber(flag: flag, value: text,
                                 expected: "use a number with ms, s, m or h (500ms, 30s, 5m, 2h) from \(time(range.lowerBound)) to \(time(range.upperBound))")
        }
        let seconds = value * (unit?.seconds ?? 1)
        guard range.contains(seconds) else {
            throw .invalidNumber(flag: flag, value: text, expected: "give a time from \(time(range.lowerBound)) to \(time(range.upperBound))")
        }
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    /// `100000000` rather than `1e+08`, `0.001` rather than `0.0010`.
    static func plain(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// A range end in the largest unit that states it exactly: `1ms`, `100ms`, `1000h`.
    static func time(_ seconds: Double) -> String {
        if seconds == 0 { return "0" }
        if seconds >= 3600, (seconds / 3600).rounded() == seconds / 3600 { return plain(seconds / 3600) + "h" }
        if seconds >= 60, (seconds / 60).rounded() == seconds / 60 { return plain(seconds / 60) + "m" }
        if seconds >= 1, seconds.rounded() == seconds { return plain(seconds) + "s" }
        return plain((seconds * 1000).rounded()) + "ms"
    }
}
