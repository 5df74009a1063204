import PortgridCore
import Report
import Testing

/// Each format's exact text for the fixture scan, complete and interrupted.
struct GoldenTests {
    static let names: [ReportFormat: String] = [
        .normal: "normal.nmap", .xml: "report.xml", .grepable: "grepable.gnmap",
        .json: "report.json", .csv: "report.csv", .markdown: "report.md",
    ]

    @Test(arguments: ReportFormat.allCases)
    func completeScan(format: ReportFormat) {
        let text = Report.render(format, Fixture.store(), context: Fixture.context())
        Golden.assertMatches(text, named: Self.names[format]!)
    }

    @Test(arguments: ReportFormat.allCases)
    func interruptedScan(format: ReportFormat) {
        let text = Report.render(format, Fixture.store(interrupted: true), context: Fixture.context(interrupted: true))
        Golden.assertMatches(text, named: "interrupted-" + Self.names[format]!)
    }

    @Test func emptyStoreStillRendersEveryFormat() {
        for format in ReportFormat.allCases {
            let text = Report.render(format, ResultStore(), context: Fixture.context())
            Golden.assertMatches(text, named: "empty-" + Self.names[format]!)
        }
    }

    @Test func renderingIsDeterministic() {
        for format in ReportFormat.allCases {
            let first = Report.render(format, Fixture.store(), context: Fixture.context())
            let second = Report.render(format, Fixture.store(), context: Fixture.context())
            #expect(first == second)
        }
    }
}
