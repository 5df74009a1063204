import Foundation
import Testing
@testable import Packets

/// The libFuzzer seed corpus in Fuzz/Corpus/packets (README, "Fuzzing") is `FuzzSeeds` written out,
/// one file a packet, so the coverage-guided fuzzer starts from the same deep parse paths as the
/// mutation tests. A missing or stale file is recorded and the test fails; PORTGRID_RECORD=1
/// re-records them all.
@Suite struct FuzzCorpusTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/packets")

    @Test("the committed packet fuzz corpus holds every FuzzSeeds packet byte for byte")
    func corpusMatchesSeeds() throws {
        let recording = ProcessInfo.processInfo.environment["PORTGRID_RECORD"] == "1"
        let seeds = FuzzSeeds.ipv4.map { ("ipv4-" + $0.name, $0.bytes) } + FuzzSeeds.ipv6.map { ("ipv6-" + $0.name, $0.bytes) }
        for (name, bytes) in seeds {
            let file = Self.directory.appendingPathComponent(Self.fileName(name))
            let existing = try? Data(contentsOf: file)
            if recording || existing.map(Array.init) != bytes {
                try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
                try Data(bytes).write(to: file)
                Issue.record("recorded fuzz seed \(file.lastPathComponent): commit it and run again")
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
        #expect(Set(names) == Set(seeds.map { Self.fileName($0.0) }), "a corpus file no seed stands for")
    }

    /// "port unreachable (8-byte quote)" -> "port-unreachable-8-byte-quote.bin"
    static func fileName(_ name: String) -> String {
        let words = name.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.joined(separator: "-") + ".bin"
    }
}
