import Foundation

/// Where the portgrid executable under test is: `swift test` builds it next to the test bundle, so the
/// directory of /proc/self/exe holds it. PORTGRID_BINARY overrides (e.g. to test a release build).
enum TestbedBinary {
    static var path: String {
        if let chosen = ProcessInfo.processInfo.environment["PORTGRID_BINARY"], !chosen.isEmpty { return chosen }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("portgrid").path
    }

    static func require() throws(TestbedError) -> String {
        let found = path
        guard FileManager.default.isExecutableFile(atPath: found) else { throw .binaryMissing(found) }
        return found
    }
}
