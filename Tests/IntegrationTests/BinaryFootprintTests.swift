import Foundation
import Testing

/// What the executable loads at start is resident in every run (issue 12's memory floor): Foundation
/// (with ICU) and OpenSSL are left out; -sV loads libssl itself when it first needs TLS. The release
/// binary also links the C libraries in and lays its hot functions out first (Package.swift).
@Suite("the executable's footprint")
struct BinaryFootprintTests {
    @Test("the scanner needs neither Foundation nor OpenSSL to start: neither is among its libraries")
    func neitherFoundationNorOpenSSLAtStart() throws {
        let binary = try TestbedBinary.require()
        let needed = try Self.neededLibraries(binary)
        for library in ["libFoundation.so", "libFoundationInternationalization", "lib_FoundationICU", "libssl", "libcrypto"] {
            #expect(!needed.contains { $0.contains(library) }, "\(library) is linked: \(needed)")
        }
    }

    @Test("the release binary maps no C++ runtime, ncurses, terminfo or PCRE2 library at start: their code is linked in",
          .enabled(if: ReleaseBinary.path != nil, "needs the release build (swift build -c release; .ci/run makes it)"))
    func releaseLinksTheCLibrariesIn() throws {
        let needed = try Self.neededLibraries(try #require(ReleaseBinary.path))
        for library in ["libstdc++", "libncursesw", "libtinfo", "libpcre2"] {
            #expect(!needed.contains { $0.contains(library) }, "\(library) is a shared library of the release binary: \(needed)")
        }
    }

    @Test("the release binary lays the functions of hot-functions.order out at the start of its text, and the list still names its code",
          .enabled(if: ReleaseBinary.path != nil, "needs the release build (swift build -c release; .ci/run makes it)"))
    func releaseLaysHotFunctionsOutFirst() throws {
        let symbols = try TestbedCommand.run(["nm", "--defined-only", try #require(ReleaseBinary.path)]).stdout
        var address: [Substring: UInt64] = [:]
        var defined: [Substring: Int] = [:]
        var textStart = UInt64.max, textEnd: UInt64 = 0
        for line in symbols.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 3, "tTwW".contains(fields[1]), let value = UInt64(fields[0], radix: 16) else { continue }
            address[fields[2]] = value
            defined[fields[2], default: 0] += 1
            textStart = min(textStart, value)
            textEnd = max(textEnd, value)
        }
        let listed = try String(contentsOfFile: ReleaseBinary.hotFunctionsOrder, encoding: .utf8).split(separator: "\n")
        let found = listed.compactMap { name in defined[name] == 1 ? address[name] : nil }
        // Names go stale as the code changes; a list that names little of the code lays out little.
        #expect(found.count * 10 >= listed.count * 6,
                "only \(found.count) of \(listed.count) listed functions are in the binary: run Benchmarks/make-hot-functions.sh")
        // Laid out in source order, about half of them would lie past the middle of the text.
        let firstHalf = textStart + (textEnd - textStart) / 2
        let early = found.filter { $0 < firstHalf }.count
        #expect(early * 100 >= found.count * 98, "\(found.count - early) of \(found.count) hot functions lie in the second half of the text")
    }

    private static func neededLibraries(_ binary: String) throws -> [String] {
        let text = try TestbedCommand.run(["readelf", "-d", binary]).stdout
        let needed = text.split(separator: "\n").filter { $0.contains("(NEEDED)") }.map(String.init)
        #expect(!needed.isEmpty, "\(text)")
        return needed
    }
}

/// The release build beside the debug build the tests run from (`.build/<triple>/release`).
enum ReleaseBinary {
    static var path: String? {
        let debug = URL(fileURLWithPath: TestbedBinary.path)
        let release = debug.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("release").appendingPathComponent("portgrid").path
        return FileManager.default.isExecutableFile(atPath: release) ? release : nil
    }

    static let hotFunctionsOrder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/portgrid/hot-functions.order").path
}
