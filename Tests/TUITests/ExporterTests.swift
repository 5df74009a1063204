import Foundation
import PortgridCore
import Report
import Testing
@testable import TUI

@Suite struct ExporterTests {
    func store() -> ResultStore {
        var store = ResultStore()
        let request = Fixture.request(ports: "1-100")
        store.apply(.started(Fixture.plan(request, hosts: [Fixture.localhost])))
        store.apply(.results([Fixture.result(Fixture.localhost, 22, .open), Fixture.result(Fixture.localhost, 23, .closed)]))
        return store
    }

    func context() -> ReportContext {
        ReportContext(version: "test", arguments: ["portgrid"], start: Date(), end: Date(), interrupted: true,
                      services: .builtIn)
    }

    @Test func writesTheFormatTheExtensionNames() throws {
        let path = NSTemporaryDirectory() + "portgrid-tui-export-\(getpid()).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let message = Exporter.export(store(), to: path, context: context())
        #expect(message.level == .info)
        #expect(message.text == "exported 2 results to \(path)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"port\":22") || text.contains("\"port\": 22"))
    }

    @Test func anUnknownExtensionIsRefusedInWords() {
        let message = Exporter.export(store(), to: "/tmp/results.docx", context: context())
        #expect(message.level == .error)
        #expect(message.text.contains("cannot tell the format"))
    }

    @Test func aWriteFailureIsReportedNotThrown() {
        let message = Exporter.export(store(), to: "/nonexistent-dir/x/results.xml", context: context())
        #expect(message.level == .error)
        #expect(message.text.hasPrefix("export to /nonexistent-dir/x/results.xml failed"))
    }
}
