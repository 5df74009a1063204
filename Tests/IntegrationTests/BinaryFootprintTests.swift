import Foundation
import Testing

/// What the executable loads at start is resident in every run (issue 12's memory floor): Foundation
/// (with ICU) and OpenSSL are left out; -sV loads libssl itself when it first needs TLS.
@Suite("the executable's footprint")
struct BinaryFootprintTests {
    @Test("the scanner needs neither Foundation nor OpenSSL to start: neither is among its libraries")
    func neitherFoundationNorOpenSSLAtStart() throws {
        let binary = try TestbedBinary.require()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["readelf", "-d", binary]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "readelf -d failed")
        let needed = text.split(separator: "\n").filter { $0.contains("(NEEDED)") }.map(String.init)
        #expect(!needed.isEmpty, "\(text)")
        for library in ["libFoundation.so", "libFoundationInternationalization", "lib_FoundationICU", "libssl", "libcrypto"] {
            #expect(!needed.contains { $0.contains(library) }, "\(library) is linked: \(needed)")
        }
    }
}
