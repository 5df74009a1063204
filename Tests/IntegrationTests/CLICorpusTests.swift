import Foundation
import Glibc
import Synchronization
import Testing

/// Issue 10's corpus: over a hundred bad or odd inputs (targets, ports, numbers, flag combinations,
/// outputs, environment, signals), each run through bash as a person would type it. Every case asserts
/// its exit status, at most its one line on stderr, no crash or backtrace, no temporary file left, and
/// its own checks that reports are whole and other files undamaged.
///
/// As root every case runs in a sealed namespace (only `lo`): even an input wrongly accepted can reach
/// no other machine, and every scan is of 127.0.0.1 inside it. Elsewhere only the loopback-only cases run.
@Suite("CLI corpus: hostile input, odd environments, signals")
struct CLICorpusTests {
    static var canSeal: Bool { TestbedTools.isRoot && TestbedTools.path(of: "ip") != nil }
    static var cases: [CorpusCase] { CLICorpus.all.filter { canSeal || !$0.sealedOnly } }
    static var canRun: Bool { FileManager.default.isExecutableFile(atPath: TestbedBinary.path) && TestbedTools.path(of: "python3") != nil }

    @Test("the corpus holds over a hundred cases with distinct names")
    func corpusSize() {
        #expect(CLICorpus.all.count >= 100)
        #expect(Set(CLICorpus.all.map(\.name)).count == CLICorpus.all.count)
    }

    @Test("each corpus case: status, one line, no crash, files whole", .enabled(if: canRun, "needs the portgrid binary and python3"),
          .timeLimit(.minutes(3)), arguments: cases)
    func corpusCase(_ corpus: CorpusCase) async throws {
        let binary = try TestbedBinary.require()
        let work = try ScratchDirectory()
        let script = Self.script(corpus)
        let argv = ["env", "WORK=\(work.path)", "PG=\(binary)", "bash", "-c", script]
        let result = try await CorpusGate.shared.withTurn {
            if Self.canSeal {
                try await TestbedNamespaces.withSealed { namespace in
                    try await TestbedCommand.output(["ip", "netns", "exec", namespace] + argv, timeout: .seconds(90))
                }
            } else {
                try await TestbedCommand.output(argv, timeout: .seconds(90))
            }
        }
        #expect(result.status == 0, "the case's script itself failed: \(result.stderr)")
        let status = Int32(work.read(".status")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
        let stdout = work.read(".out") ?? ""
        let stderr = work.read(".err") ?? ""
        let context = "status \(status)\nstderr: \(stderr)\nstdout: \(stdout.prefix(600))"

        #expect(status == corpus.status, "exit status\n\(context)")
        for marker in ["Fatal error", "Stack dump", "Current stack trace", "Program crashed", "Segmentation fault",
                       "Illegal instruction", "AddressSanitizer"] {
            #expect(!stderr.contains(marker), "crash marker '\(marker)'\n\(context)")
        }
        #expect(![132, 133, 134, 136, 137, 139].contains(status), "ended by a crash signal\n\(context)")

        let lines = stderr.split(separator: "\n").filter {
            !$0.hasPrefix("portgrid: stats:") && !$0.hasPrefix("portgrid: warning:") && !$0.hasPrefix("\r")
        }
        switch corpus.message {
        case .none:
            #expect(lines.isEmpty, "no error line expected\n\(context)")
        case .line(let words):
            #expect(lines.count == 1, "exactly one line on stderr\n\(context)")
            for word in words {
                #expect(stderr.lowercased().contains(word.lowercased()), "stderr names '\(word)'\n\(context)")
            }
        }
        if corpus.quietStdout { #expect(stdout.isEmpty, "nothing on stdout for a usage error\n\(context)") }
        let failed = (work.read(".checks") ?? "").split(separator: "\n")
        #expect(failed.isEmpty, "checks failed: \(failed.joined(separator: "; "))\n\(context)")
        let leftovers = (work.read(".leftovers") ?? "").split(separator: "\n")
        #expect(leftovers.isEmpty, "temporary files left behind: \(leftovers)")
    }

    /// The case as one bash script: helpers, setup, the run with its status, the checks.
    static func script(_ corpus: CorpusCase) -> String {
        let checks = corpus.checks.map { "( \($0.condition) ) >/dev/null 2>&1 || echo \(shellQuote($0.meaning)) >> .checks" }
        return """
        set -u
        cd "$WORK" || exit 97
        \(prelude)
        (
        :
        \(corpus.setup)
        ) >/dev/null 2>&1
        {
        \(corpus.run)
        } > .out 2> .err
        echo $? > .status
        \(checks.joined(separator: "\n"))
        find . -name '*.portgrid-*' > .leftovers 2>/dev/null
        exit 0
        """
    }

    static func shellQuote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Shell helpers the cases use: the binary, scan shapes, and readers that say whether a report is whole.
    static let prelude = #"""
    pg() { "$PG" "$@"; }
    scan() { "$PG" -sT -Pn -n --no-tui -T4 "$@"; }
    # A connect scan of every port at 3,000 probes a second (about 20 s unless a signal ends it) with the
    # arguments; sends the signals (name:delay pairs) and waits for its status. Started directly, not
    # through a function, so that $! is portgrid itself and not a subshell.
    signal_run() {
        local spec="$1"; shift
        "$PG" -sT -Pn -n --no-tui -p 1-65535 --max-rate 3000 "$@" 127.0.0.1 &
        local p=$!
        sleep 0.8
        for s in $spec; do sleep "${s#*:}"; kill -"${s%%:*}" "$p" 2>/dev/null; done
        wait "$p"
    }
    json_ok() { python3 - "$@" <<'PY'
    import json, sys
    d = json.load(open(sys.argv[1], encoding="utf-8", errors="surrogateescape"))
    assert d["scanner"] == "portgrid" and isinstance(d["hosts"], list)
    if len(sys.argv) > 2: assert d["interrupted"] == (sys.argv[2] == "interrupted"), d["interrupted"]
    if len(sys.argv) > 3:
        h = d["hosts"][0]
        assert len(h["ports"]) + sum(e["count"] for e in h["extraports"]) == int(sys.argv[3])
    PY
    }
    xml_ok() { python3 - "$@" <<'PY'
    import sys, xml.etree.ElementTree as ET
    root = ET.parse(sys.argv[1]).getroot()
    assert root.tag == "nmaprun" and root.find("runstats/finished") is not None
    PY
    }
    json_text() { python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert d["scanner"]=="portgrid"'; }
    table_whole() { tail -n 1 "$1" | grep -q '^# portgrid done at '; }
    gnmap_whole() { tail -n 1 "$1" | grep -q '^# portgrid done at '; }
    mode_is() { [ "$(stat -c %a "$1")" = "$2" ]; }
    """#
}

/// At most four corpus cases at once: a two-core machine running a hundred scans together would
/// starve the signal cases' timing. Waiters suspend, never block a thread.
final class CorpusGate: Sendable {
    static let shared = CorpusGate(width: 4)

    private struct State {
        var free: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(width: Int) { state = Mutex(State(free: width)) }

    func withTurn<T>(_ body: () async throws -> T) async throws -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enter = state.withLock { state -> Bool in
                guard state.free > 0 else { state.waiters.append(continuation); return false }
                state.free -= 1
                return true
            }
            if enter { continuation.resume() }
        }
        defer {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if state.waiters.isEmpty { state.free += 1; return nil }
                return state.waiters.removeFirst()
            }
            next?.resume()
        }
        return try await body()
    }
}
