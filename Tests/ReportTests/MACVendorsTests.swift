import Foundation
@testable import Report
import Testing

/// nmap-mac-prefixes read for the few addresses a report names, not line by line as text.
struct MACVendorsTests {
    static let table = "# comment\n00000C Cisco Systems \n3e38d5\tnot a tab-separated entry\n3E38D5 Lower Vendor\nZZ0000 bad\n0050\n"

    @Test("a table kept to the wanted prefixes names their vendors and no other")
    func keptToWanted() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mac-\(UUID().uuidString)").path
        try Self.table.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let vendors = MACVendors.load(for: ["3e:38:d5:94:db:d7"], path: path)
        #expect(vendors.vendor(of: "3E:38:D5:00:00:01") == "Lower Vendor")
        #expect(vendors.vendor(of: "00:00:0C:12:34:56") == nil, "Cisco was not asked for")
        #expect(!vendors.isEmpty, "a table was read, so the report names nmap's data directory")
    }

    @Test("every well-formed line of a parsed table counts, names trimmed; comments and malformed lines do not")
    func parsedTable() {
        let vendors = MACVendors(parsing: Self.table)
        #expect(vendors.vendor(of: "00:00:0C:12:34:56") == "Cisco Systems")
        #expect(vendors.vendor(of: "00-00-0c-aa-bb-cc") == "Cisco Systems")
        #expect(vendors.vendor(of: "3E:38:D5:94:DB:D7") == "Lower Vendor")
        #expect(vendors.vendor(of: "00:50:00:00:00:00") == nil)
        #expect(vendors.vendor(of: "00:00") == nil, "too short for a prefix")
    }

    @Test("a table merged into a run's names every group's vendors, the first name of a prefix kept, and counts as read")
    func mergedTables() {
        var run = MACVendors()
        #expect(run.isEmpty)
        run.merge(MACVendors(parsing: "00000C Cisco Systems\n"))
        run.merge(MACVendors(parsing: "3E38D5 Lower Vendor\n00000C Someone Else\n"))
        run.merge(MACVendors())
        #expect(!run.isEmpty, "a group read the table: the footer names nmap's data directory")
        #expect(run.vendor(of: "00:00:0C:12:34:56") == "Cisco Systems")
        #expect(run.vendor(of: "3E:38:D5:94:DB:D7") == "Lower Vendor")
    }

    @Test("a missing file gives an empty table: every vendor unknown")
    func missingFile() {
        let vendors = MACVendors.load(for: ["00:00:0C:12:34:56"], path: "/nonexistent/nmap-mac-prefixes")
        #expect(vendors.isEmpty)
        #expect(vendors.vendor(of: "00:00:0C:12:34:56") == nil)
    }

    @Test("the installed nmap-mac-prefixes names a well-known vendor",
          .enabled(if: FileManager.default.fileExists(atPath: NmapDataFiles.directory + "/nmap-mac-prefixes")))
    func installedTable() {
        #expect(MACVendors.load(for: ["00:00:0C:12:34:56"]).vendor(of: "00:00:0C:12:34:56") == "Cisco Systems")
    }
}
