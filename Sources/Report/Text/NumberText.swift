import Glibc
import PortgridCore

/// Numbers as the formats print them.
enum NumberText {
    static func seconds(_ d: Duration) -> Double {
        d.inSeconds
    }

    static func microseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000
    }

    /// Milliseconds to the microsecond, without trailing zeros: `0.081`, `12.5`, `3`.
    static func milliseconds(_ d: Duration) -> String {
        let micros = microseconds(d)
        let whole = micros / 1000, fraction = micros % 1000
        guard fraction != 0 else { return "\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    /// nmap's `num_to_string_sigdigits`: fixed notation with `digits` significant digits, so
    /// latencies read `0.000093s`, `0.00012s`, `0.0010s`.
    static func significant(_ value: Double, digits: Int = 2) -> String {
        guard value > 0, value.isFinite else { return fixed(0, precision: digits) }
        let shift = Int(floor(log10(value)))
        let precision = max(0, digits - shift - 1)
        return fixed(value, precision: precision)
    }

    /// Two decimals, as nmap prints elapsed seconds.
    static func elapsed(_ seconds: Double) -> String { fixed(seconds, precision: 2) }

    /// C's `%.Nf`, rounding as printf does (and so as nmap's own text does): worked out exactly
    /// where 128-bit integers hold it (every latency and elapsed time), else by `vsnprintf`
    /// itself, which cost more than the rest of a host's status line.
    static func fixed(_ value: Double, precision: Int) -> String {
        exactFixed(value, precision: precision) ?? printf(value, precision: precision)
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
        var digits = units <= UInt64.max ? String(UInt64(units)) : String(units)
        if digits.count <= precision { digits = String(repeating: "0", count: precision + 1 - digits.count) + digits }
        if precision > 0 { digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -precision)) }
        // printf writes the sign of every negative value, -0.0 and those rounding to zero too.
        return value.sign == .minus ? "-" + digits : digits
    }

    /// Count + noun with the right plural: `1 IP address`, `3 hosts`.
    static func counted(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(n) \(n == 1 ? singular : plural)"
    }
}
