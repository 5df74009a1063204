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

    /// C's `%.Nf`, rounding as printf does (and so as nmap's own text does).
    static func fixed(_ value: Double, precision: Int) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 512) { buffer in
            let written = withVaList([value]) { vsnprintf(buffer.baseAddress, buffer.count, "%.\(precision)f", $0) }
            guard written >= 0, Int(written) < buffer.count else { return String(value) }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(written)).bindMemory(to: UInt8.self), as: UTF8.self)
        }
    }

    /// Count + noun with the right plural: `1 IP address`, `3 hosts`.
    static func counted(_ n: Int, _ singular: String, _ plural: String) -> String {
        "\(n) \(n == 1 ? singular : plural)"
    }
}
