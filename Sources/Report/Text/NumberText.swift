import Glibc
import PortgridCore

/// Numbers as the formats print them.
enum NumberText {
    static func seconds(_ d: Duration) -> Double {
        // `inSeconds`'s own sum, its parts from the native 128-bit attoseconds: `components`
        // divides in software, and a /16's latencies read it 65,536 times. Anything but a
        // duration from zero to 2^32 s (every round trip) goes through `inSeconds` itself.
        guard d >= .zero, d < .seconds(1 << 32) else { return d.inSeconds }
        let (seconds, attoseconds) = d.attoseconds.quotientAndRemainder(dividingBy: 1_000_000_000_000_000_000)
        return Double(Int64(seconds)) + Double(Int64(attoseconds)) * 1e-18
    }

    static func microseconds(_ d: Duration) -> Int64 {
        // Whole microseconds, truncated as `components` would give them, by one native division.
        guard d >= .zero, d < .seconds(1 << 32) else {
            let (seconds, attoseconds) = d.components
            return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        }
        return Int64(d.attoseconds / 1_000_000_000_000)
    }

    /// Milliseconds to the microsecond, without trailing zeros: `0.081`, `12.5`, `3`.
    static func milliseconds(_ d: Duration) -> String {
        ReportSink.text { milliseconds(d, to: $0) }
    }

    /// The same, written into `out` (JSON's `rtt_ms` of every host of a /16).
    static func milliseconds(_ d: Duration, to out: ReportSink) {
        let micros = microseconds(d)
        let whole = micros / 1000, fraction = Int(micros.magnitude % 1000)
        if micros < 0 { out.write("-") }
        out.write(number: whole.magnitude)
        guard fraction != 0 else { return }
        let (tenths, hundredths, thousandths) = (fraction / 100, fraction / 10 % 10, fraction % 10)
        out.write(".")
        out.write(number: tenths)
        if hundredths != 0 || thousandths != 0 { out.write(number: hundredths) }
        if thousandths != 0 { out.write(number: thousandths) }
    }

    /// nmap's `num_to_string_sigdigits`: fixed notation with `digits` significant digits, so
    /// latencies read `0.000093s`, `0.00012s`, `0.0010s`.
    static func significant(_ value: Double, digits: Int = 2) -> String {
        ReportSink.text { significant(value, digits: digits, to: $0) }
    }

    /// The same, written into `out` (the latency of every host of a /16).
    static func significant(_ value: Double, digits: Int = 2, to out: ReportSink) {
        guard value > 0, value.isFinite else { return fixed(0, precision: digits, to: out) }
        let shift = Int(floor(log10(value)))
        let precision = max(0, digits - shift - 1)
        fixed(value, precision: precision, to: out)
    }

    /// Two decimals, as nmap prints elapsed seconds.
    static func elapsed(_ seconds: Double) -> String { fixed(seconds, precision: 2) }

    /// C's `%.Nf`, rounding as printf does (and so as nmap's own text does): worked out exactly
    /// where 128-bit integers hold it (every latency and elapsed time), else by `vsnprintf`
    /// itself, which cost more than the rest of a host's status line.
    static func fixed(_ value: Double, precision: Int) -> String {
        ReportSink.text { fixed(value, precision: precision, to: $0) }
    }

    /// The same, written into `out`.
    static func fixed(_ value: Double, precision: Int, to out: ReportSink) {
        guard let units = fixedUnits(value, precision: precision) else { return out.write(printf(value, precision: precision)) }
        writeFixed(units, precision: precision, negative: value.sign == .minus, to: out)
    }

    /// `%.Nf` by C's `vsnprintf`: the reference `exactFixed` is tested against.
    static func printf(_ value: Double, precision: Int) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
            let written = withVaList([value]) { vsnprintf(buffer.baseAddress, buffer.count, "%.\(precision)f", $0) }
            guard written >= 0, Int(written) < buffer.count else { return String(value) }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(written)).bindMemory(to: UInt8.self), as: UTF8.self)
        }
    }

    /// `%.Nf` from the double's exact value, significand x 2^exponent: value x 10^N rounded to an
    /// integer, to nearest with ties to even on the exact binary value, as glibc's printf rounds.
    /// nil (printf's turn) for non-finite values, more than 19 decimals, or a product past 128 bits.
    static func exactFixed(_ value: Double, precision: Int) -> String? {
        guard let units = fixedUnits(value, precision: precision) else { return nil }
        return ReportSink.text { writeFixed(units, precision: precision, negative: value.sign == .minus, to: $0) }
    }

    /// `value` x 10^`precision` rounded as `exactFixed` says, nil where it leaves the value to printf.
    private static func fixedUnits(_ value: Double, precision: Int) -> UInt128? {
        guard value.isFinite, (0...19).contains(precision) else { return nil }
        let significand: UInt64, exponent: Int
        if value.isZero {
            (significand, exponent) = (0, 0)
        } else if value.isSubnormal {
            (significand, exponent) = (value.significandBitPattern, -1074)
        } else {
            (significand, exponent) = (value.significandBitPattern | 1 << 52, Int(value.exponentBitPattern) - 1075)
        }
        var power: UInt128 = 1
        for _ in 0..<precision { power *= 10 }
        // Below 2^53 x 10^19 < 2^117.
        let scaled = UInt128(significand) * power
        var units: UInt128
        if exponent >= 0 {
            guard exponent < scaled.leadingZeroBitCount else { return nil }
            units = scaled << exponent
        } else if -exponent >= 128 {
            // Less than half a unit: scaled < 2^117 <= 2^(shift - 1).
            units = 0
        } else {
            let shift = -exponent
            units = scaled >> shift
            let rest = scaled & ((1 << shift) - 1), half = UInt128(1) << (shift - 1)
            if rest > half || (rest == half && units & 1 == 1) { units += 1 }
        }
        return units
    }

    /// `units` with its last `precision` digits after the point, at least one digit before it,
    /// as printf lays `%.Nf` out. printf writes the sign of every negative value, -0.0 and those
    /// rounding to zero too, so `negative` is the value's sign, not the units'.
    private static func writeFixed(_ units: UInt128, precision: Int, negative: Bool, to out: ReportSink) {
        // 39 digits hold any UInt128, with a point and a sign; 64 with the zeros of 19 decimals.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { text in
            var start = text.count, written = 0
            func lay<Digits: BinaryInteger>(_ value: Digits) {
                var rest = value
                repeat {
                    if written == precision && precision > 0 {
                        start -= 1
                        text[start] = UInt8(ascii: ".")
                    }
                    start -= 1
                    text[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                    written += 1
                } while rest > 0 || written <= precision
            }
            // 64-bit division where the units fit, as every latency's do.
            if units <= UInt64.max { lay(UInt64(units)) } else { lay(units) }
            if negative {
                start -= 1
                text[start] = UInt8(ascii: "-")
            }
            out.write(bytes: UnsafeBufferPointer(rebasing: text[start...]))
        }
    }

    /// Count + noun with the right plural: `1 IP address`, `3 hosts`.
    static func counted(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(n) \(n == 1 ? singular : plural)"
    }
}
