import Foundation
import PortgridCore
@testable import Report
import Testing

/// The small text rules the writers share.
struct TextTests {
    @Test func latencyHasTwoSignificantDigitsLikeNmap() {
        #expect(NumberText.significant(0.000093) == "0.000093")
        #expect(NumberText.significant(0.00012) == "0.00012")
        #expect(NumberText.significant(0.001) == "0.0010")
        #expect(NumberText.significant(1.234) == "1.2")
        #expect(NumberText.significant(12.5) == "12")
    }

    @Test func millisecondsDropTrailingZeros() {
        #expect(NumberText.milliseconds(.microseconds(81)) == "0.081")
        #expect(NumberText.milliseconds(.microseconds(12_500)) == "12.5")
        #expect(NumberText.milliseconds(.seconds(3)) == "3000")
        #expect(NumberText.milliseconds(.zero) == "0")
    }

    @Test func ctimePadsTheDayWithASpace() {
        let date = Date(timeIntervalSince1970: 1_793_746_800) // 2026-11-03 23:00:00 UTC
        #expect(TimeText.ctime(date, .utc) == "Tue Nov  3 23:00:00 2026")
        #expect(TimeText.iso8601(date, .fixed(secondsEastOfUTC: 3600, name: "CET")) == "2026-11-04T00:00:00+01:00")
    }

    @Test("fixed decimals round as C's printf does, which nmap's text uses")
    func fixedDecimalsRoundAsPrintf() {
        #expect(NumberText.elapsed(12.345_678) == "12.35")
        #expect(NumberText.elapsed(0) == "0.00")
        // 2.675 is 2.67499999… in binary: printf (and nmap) print 2.67, not 2.68.
        #expect(NumberText.fixed(2.675, precision: 2) == "2.67")
        #expect(NumberText.fixed(1e20, precision: 1) == "100000000000000000000.0")
        #expect(NumberText.significant(0.000_093) == "0.000093")
    }

    @Test("fixed decimals worked out exactly are printf's, ties, negatives and tiny values included")
    func exactFixedDecimalsArePrintfs() {
        var values: [Double] = [0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 2.675, 1e20, 1e-300, 5e-324, -1e-9,
                                0.000_093, 0.000_12, 0.001, 0.0005, 0.000_05, 12.5, 9.995, 99.999_5, 1e15 + 0.5]
        // A fixed seed: values over every magnitude a report prints, and ties (k / 2^n) in numbers.
        var random = SeededGenerator(seed: 12)
        for _ in 0..<4000 {
            let magnitude = Double.random(in: -12...12, using: &random)
            values.append(Double.random(in: 0.5...1, using: &random) * pow(10, magnitude.rounded()))
            values.append(Double(Int.random(in: -5000...5000, using: &random)) / Double(1 << Int.random(in: 0...12, using: &random)))
        }
        var worked = 0
        for value in values {
            for precision in 0...19 {
                // nil hands the value to printf (past 128 bits: only huge values with many decimals).
                guard let exact = NumberText.exactFixed(value, precision: precision) else { continue }
                worked += 1
                #expect(exact == NumberText.printf(value, precision: precision), "\(value) to \(precision) decimals")
            }
        }
        #expect(worked > values.count * 19)
        #expect(NumberText.exactFixed(.infinity, precision: 2) == nil)
        #expect(NumberText.exactFixed(1e300, precision: 2) == nil)
        #expect(NumberText.fixed(1e300, precision: 2) == NumberText.printf(1e300, precision: 2))
    }

    @Test("a fixed zone prints its own offset and name in every shape")
    func fixedZoneInEveryShape() {
        let date = Date(timeIntervalSince1970: 1_793_746_800) // 2026-11-03 23:00:00 UTC
        let zone = ReportZone.fixed(secondsEastOfUTC: -(4 * 3600 + 30 * 60), name: "XST")
        #expect(TimeText.iso8601(date, zone) == "2026-11-03T18:30:00-04:30")
        #expect(TimeText.readable(date, zone) == "2026-11-03 18:30:00 XST")
        #expect(TimeText.ctime(date, zone) == "Tue Nov  3 18:30:00 2026")
        #expect(TimeText.readable(date, .utc) == "2026-11-03 23:00:00 UTC")
    }

    @Test func csvQuotesOnlyWhatNeedsIt() {
        #expect(Escape.csv("plain") == "plain")
        #expect(Escape.csv("a,b") == "\"a,b\"")
        #expect(Escape.csv("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(Escape.csv("two\nlines") == "\"two\nlines\"")
    }

    @Test func xmlEscapesMarkupAndDoubleDashes() {
        #expect(Escape.xml("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;")
        #expect(Escape.xml("--reason") == "-&#45;reason")
        #expect(Escape.xml("x\ty") == "x&#x9;y")
    }

    @Test func markdownEscapesPipesAndFencesBackticks() {
        #expect(Escape.markdownCell("open|filtered") == "open\\|filtered")
        #expect(Escape.markdownCode("a `b` c") == "``a `b` c``")
    }

    @Test func shellWordsQuoteWhatAShellWouldSplit() {
        #expect(ShellWords.join(["portgrid", "-p-", "198.18.0.0/24", "fd00::2"]) == "portgrid -p- 198.18.0.0/24 fd00::2")
        #expect(ShellWords.join(["-oX", "my scan.xml", "it's", ""]) == "-oX 'my scan.xml' 'it'\\''s' ''")
    }

    @Test func tableColumnsAlignWithoutTrailingBlanks() {
        let lines = TextTable(rows: [["PORT", "STATE", "SERVICE", "REASON"], ["22/tcp", "open", "ssh", "syn-ack"],
                                     ["8080/tcp", "closed", "http-proxy", "conn-refused"]]).render()
        #expect(lines == ["PORT     STATE  SERVICE    REASON", "22/tcp   open   ssh        syn-ack",
                          "8080/tcp closed http-proxy conn-refused"])
    }

    @Test func formatsAreInferredFromExtensions() {
        #expect(ReportFormat.inferred(fromPath: "out/scan.XML") == .xml)
        #expect(ReportFormat.inferred(fromPath: "scan.nmap") == .normal)
        #expect(ReportFormat.inferred(fromPath: "scan.txt") == .normal)
        #expect(ReportFormat.inferred(fromPath: "scan.gnmap") == .grepable)
        #expect(ReportFormat.inferred(fromPath: "scan.grep") == .grepable)
        #expect(ReportFormat.inferred(fromPath: "scan.json") == .json)
        #expect(ReportFormat.inferred(fromPath: "scan.csv") == .csv)
        #expect(ReportFormat.inferred(fromPath: "scan.md") == .markdown)
        #expect(ReportFormat.inferred(fromPath: "scan") == nil)
        #expect(ReportFormat.inferred(fromPath: ".json") == nil)
        #expect(ReportFormat.inferred(fromPath: "dir.v2/scan") == nil)
        #expect(ReportFormat.inferred(fromPath: "-") == nil)
        for format in ReportFormat.allCases {
            #expect(ReportFormat.inferred(fromPath: "x." + format.fileExtension) == format)
        }
    }
}

/// The scanner's own SplitMix64 as a generator: the same values on every run, so a failure names a
/// value that fails again.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 { SplitMix64.next(&state) }
}
