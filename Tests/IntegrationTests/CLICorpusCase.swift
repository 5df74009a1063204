import Testing

/// One hostile or odd use of the command, as a person at a shell would type it: a bash fragment that
/// runs `pg` (the binary under test) in a fresh directory, what it must exit with, the one line it may
/// print on stderr, and shell checks that the files it touched are whole and undamaged afterwards.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    /// What stderr may hold.
    enum Message: Sendable {
        /// No error line (progress, stats and warning lines are allowed).
        case none
        /// Exactly one line, containing each word (case-insensitive).
        case line([String])
    }

    var name: String
    /// Runs first, output discarded: files, FIFOs, links the case needs.
    var setup = ""
    /// The command line; its exit status is the case's status. `pg` is the binary; `scan` is
    /// `pg -sT -Pn -n --no-tui -T4`; `signal_run SIGNALS ARGS` a long headless scan that gets SIGNALS.
    var run: String
    var status: Int32
    var message: Message = .none
    /// Shell conditions that must hold afterwards, each with what it means when it does not.
    var checks: [(condition: String, meaning: String)] = []
    /// Usage errors print nothing on stdout: a script reading it sees no half report.
    var quietStdout = false
    /// Names an address outside loopback (even only to be refused), or needs root (mknod): runs only
    /// in a sealed namespace, which needs root too.
    var sealedOnly = false

    var testDescription: String { name }
}

extension CorpusCase {
    /// A usage error: exit 64, one line naming `words`, nothing on stdout.
    static func usage(_ name: String, _ run: String, _ words: String..., setup: String = "", sealedOnly: Bool = false,
                      checks: [(String, String)] = []) -> CorpusCase {
        CorpusCase(name: name, setup: setup, run: run, status: 64, message: .line(words),
                   checks: checks.map { (condition: $0.0, meaning: $0.1) }, quietStdout: true, sealedOnly: sealedOnly)
    }

    /// A runtime failure: exit 1 and one line naming `words`.
    static func failure(_ name: String, _ run: String, _ words: String..., setup: String = "",
                        checks: [(String, String)] = [], sealedOnly: Bool = false) -> CorpusCase {
        CorpusCase(name: name, setup: setup, run: run, status: 1, message: .line(words),
                   checks: checks.map { (condition: $0.0, meaning: $0.1) }, sealedOnly: sealedOnly)
    }

    /// A run that works: exit 0, no error line, and `checks`.
    static func works(_ name: String, _ run: String, setup: String = "", checks: [(String, String)] = [],
                      sealedOnly: Bool = false) -> CorpusCase {
        CorpusCase(name: name, setup: setup, run: run, status: 0, checks: checks.map { (condition: $0.0, meaning: $0.1) },
                   sealedOnly: sealedOnly)
    }
}
