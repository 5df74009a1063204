import Foundation
import PortgridCore
@testable import Report
import Testing

/// The pieces the writers put straight into a sink read exactly as the strings they replaced.
struct SinkWritingTests {
    @Test("an address written into a sink reads as its description, for every octet width and for IPv6")
    func addressesReadAsTheirDescription() {
        var state: UInt64 = 12
        var addresses: [IPAddress] = ["0.0.0.0", "255.255.255.255", "10.9.99.100", "198.18.0.2", "::1", "2001:2::5"].map { IPAddress($0)! }
        for _ in 0..<2_000 { addresses.append(.v4(IPv4Address(UInt32(truncatingIfNeeded: SplitMix64.next(&state))))) }
        for address in addresses {
            #expect(ReportSink.text { $0.write(address: address) } == address.description)
        }
    }

    @Test("a duration's seconds and microseconds from the native attoseconds equal those from its components")
    func durationsConvertAsTheirComponentsDo() {
        var state: UInt64 = 34
        var durations: [Duration] = [.zero, .nanoseconds(1), .microseconds(81), .seconds(3), .seconds(-2),
                                     .nanoseconds(-1_500), .seconds(1 << 40), Duration(attoseconds: 123_456_789)]
        for _ in 0..<5_000 {
            durations.append(.nanoseconds(Int64(SplitMix64.next(&state) % 10_000_000_000)))
            durations.append(Duration(attoseconds: Int128(SplitMix64.next(&state) % (1 << 62))))
        }
        for duration in durations {
            let (seconds, attoseconds) = duration.components
            #expect(NumberText.microseconds(duration) == seconds * 1_000_000 + attoseconds / 1_000_000_000_000, "\(duration)")
            #expect(NumberText.seconds(duration) == duration.inSeconds, "\(duration)")
        }
    }

    @Test("milliseconds read as the microseconds they hold, trailing zeros dropped, and latencies as printf's")
    func millisecondsAndLatencies() {
        var state: UInt64 = 56
        for _ in 0..<5_000 {
            let micros = Int64(SplitMix64.next(&state) % 5_000_000)
            let whole = micros / 1000, fraction = micros % 1000
            var digits = fraction == 0 ? "" : String(String(fraction + 1000).dropFirst())
            while digits.hasSuffix("0") { digits.removeLast() }
            #expect(NumberText.milliseconds(.microseconds(micros)) == (digits.isEmpty ? "\(whole)" : "\(whole).\(digits)"))
            let seconds = Double(micros) / 1e6
            guard seconds > 0 else { continue }
            let precision = max(0, 2 - Int(floor(log10(seconds))) - 1)
            #expect(NumberText.significant(seconds) == NumberText.printf(seconds, precision: precision), "\(seconds)")
        }
    }

    @Test("a literal, a string and a number written into one sink come out in order")
    func piecesComeOutInOrder() {
        let name = "ünïcode"
        #expect(ReportSink.text { sink in
            sink.write("static ")
            sink.write(name)
            sink.write(number: -42)
            sink.write(number: UInt16(80))
        } == "static ünïcode-4280")
    }
}
