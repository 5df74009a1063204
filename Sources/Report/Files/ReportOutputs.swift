import PortgridCore
import Threads

/// One report asked for on the command line: a format, a path and the flag that named it.
public struct ReportRequest: Sendable {
    public var format: ReportFormat
    public var path: ReportPath
    /// For messages: `-oJ`, or `-oA` for each of its three files.
    public var flag: String

    public init(format: ReportFormat, path: ReportPath, flag: String) {
        self.format = format
        self.path = path
        self.flag = flag
    }
}

/// Every output of a run, opened and checked together before the first probe, and written together
/// host by host, at the end or a hostgroup at a time as the scan goes (`write(part:)`): the files and standard output side by side, each failure reported
/// without stopping the others. The results table goes to standard output too, unless an output already writes there.
public struct ReportOutputs {
    struct Entry {
        var format: ReportFormat
        var output: ReportOutput
    }

    private var entries: [Entry]
    private var closed = false
    /// The files' round and standard output's, from the first write to the finish.
    private var rounds: [Round]?

    /// Opens every requested output (see `ReportOutput.open`) and refuses two that land on one file
    /// or two documents on standard output. `stop` ends a wait for a FIFO's reader (a signal came).
    /// On a throw nothing is left open.
    /// `append` (`--append-output`): regular files are written at their end, never replaced.
    public static func open(_ requests: [ReportRequest], table: Bool, append: Bool = false,
                            stop: () -> Bool) throws(ReportFileError) -> ReportOutputs {
        try open(requests, table: table, append: append, stop: stop, SystemFileSystem())
    }

    static func open(_ requests: [ReportRequest], table: Bool, append: Bool = false, stop: () -> Bool,
                     _ fs: some FileSystem) throws(ReportFileError) -> ReportOutputs {
        var opened = ReportOutputs(entries: [])
        var identities: [(OutputIdentity, String)] = []
        let discarding = try? fs.status(ReportPath("/dev/null"), followingLinks: true).get()
        let standardOutput = OutputIdentity.node(fs.status(descriptor: 1))
        do throws(ReportFileError) {
            for request in requests {
                let output = try ReportOutput.open(request.path, label: request.path.description, readerWait: nil,
                                                   append: append, stop: stop, fs)
                opened.entries.append(Entry(format: request.format, output: output))
                // `/dev/null` (by its device number, so a copy made with mknod counts) may take any number,
                // unless it is named as standard output (`-`, `/dev/stdout`), which holds one document.
                if !output.isStandardOutput, let discarding,
                   OutputIdentity.device(output.destination, fs) == discarding.deviceNumber { continue }
                var identity = OutputIdentity(output.destination, fs)
                if identity == standardOutput { identity = .standardOutput }
                let named = "\(request.flag) \(request.path.description)"
                if let (_, first) = identities.first(where: { $0.0 == identity }) {
                    throw identity == .standardOutput ? .twiceOnStandardOutput(first, named) : .sameFile(first, named)
                }
                identities.append((identity, named))
            }
        } catch {
            opened.discard(fs)
            throw error
        }
        // The table is the default document of standard output: it yields to any output there.
        if table && !identities.contains(where: { $0.0 == .standardOutput }) {
            opened.entries.append(Entry(format: .normal, output: ReportOutput(label: "standard output",
                                                                               destination: .standardOutput)))
        }
        return opened
    }

    /// The formats to render, in writing order.
    public var formats: [ReportFormat] { ordered.map { entries[$0].format } }

    /// Writes every output host by host (a `ReportStream` of one part), each format rendered once
    /// per host for all its outputs and handed on in chunks, so no format's whole text is ever
    /// held. The files and standard output are written side by side, each on a thread of its own
    /// (`rounds`), so a stuck or closed standard output cannot hold the files back. Returns every
    /// failure, files first.
    public mutating func write(_ report: ScanReport, context: ReportContext) -> [ReportFileError] {
        write(report, context: context, chunk: ReportSink.chunkSize, SystemFileSystem())
    }

    mutating func write(_ report: ScanReport, context: ReportContext, chunk: Int,
                        _ fs: some FileSystem) -> [ReportFileError] {
        guard !closed else { return [] }
        let rounds = begin(plans: report.plans, context: context, chunk: chunk, fs)
        closed = true
        // Each round whole, footer and finish included: a file is in place before standard
        // output, which may block, is written.
        Self.run(rounds, sideBySide: report.hosts.count >= Self.sideBySideHosts) { round in
            round.stream?.write(report, context: context)
            round.stream?.finish(context: context, interrupted: report.interrupted)
            round.close()
        }
        return end(rounds)
    }

    /// One part of a report written as it goes (a finished hostgroup of a headless run): the first
    /// part begins every output and writes its header, each part's hosts follow, and `finish` ends
    /// them. An output that fails is abandoned at once; its failure is returned by `finish`.
    /// `plans`: what the headers and footers name, when the first part cannot say (a port scan's
    /// down hosts, written before its plan was announced); by default the first part's.
    public mutating func write(part: ScanReport, context: ReportContext, plans: [ScanPlan]? = nil) {
        write(part: part, context: context, plans: plans, chunk: ReportSink.chunkSize, SystemFileSystem())
    }

    mutating func write(part: ScanReport, context: ReportContext, plans: [ScanPlan]? = nil, chunk: Int,
                        _ fs: some FileSystem) {
        guard !closed else { return }
        let rounds = begin(plans: plans ?? part.plans, context: context, chunk: chunk, fs)
        Self.run(rounds, sideBySide: part.hosts.count >= Self.sideBySideHosts) { $0.stream?.write(part, context: context) }
    }

    /// Whether a part was written (`write(part:)`) and the outputs not finished yet.
    public var isWritingParts: Bool { rounds != nil && !closed }

    /// Writes every footer (with the totals of every part written) and finishes every output: a
    /// replaced file takes its place now. Returns every failure, files first.
    public mutating func finish(context: ReportContext, interrupted: Bool) -> [ReportFileError] {
        finish(context: context, interrupted: interrupted, SystemFileSystem())
    }

    mutating func finish(context: ReportContext, interrupted: Bool, _ fs: some FileSystem) -> [ReportFileError] {
        guard !closed else { return [] }
        let rounds = begin(plans: [], context: context, chunk: ReportSink.chunkSize, fs)
        closed = true
        Self.run(rounds, sideBySide: false) { round in
            round.stream?.finish(context: context, interrupted: interrupted)
            round.close()
        }
        return end(rounds)
    }

    /// Hosts from which the two rounds run side by side. Below, per-host work is small beside one
    /// big host's port table, which each round would then hold at once (a one-host -p- report
    /// peaked 2-3 MB higher side by side, to save 10-30 ms): the files are written first, then
    /// standard output, on the calling thread.
    static let sideBySideHosts = 1_024

    mutating func write(_ render: @escaping @Sendable (ReportFormat) -> String) -> [ReportFileError] {
        write(render, SystemFileSystem())
    }

    /// Writes each output with the whole text `render(format)` gives (rendered once per format
    /// in each of the two rounds, files and standard output).
    mutating func write(_ render: @escaping @Sendable (ReportFormat) -> String, chunk: Int = ReportSink.chunkSize,
                        _ fs: some FileSystem) -> [ReportFileError] {
        guard !closed else { return [] }
        let rounds = begin(plans: [], context: nil, chunk: chunk, fs)
        closed = true
        Self.run(rounds, sideBySide: true) { round in
            for (format, sink) in round.sinks {
                sink.write(render(format))
                sink.flush()
            }
            round.close()
        }
        return end(rounds)
    }

    /// The outputs in two rounds, the files and standard output, begun on the first call (with
    /// `context`, a report stream's header written in each round: nil, none).
    private mutating func begin(plans: [ScanPlan], context: ReportContext?, chunk: Int,
                                _ fs: some FileSystem) -> [Round] {
        if let rounds { return rounds }
        let members = [entries.indices.filter { !entries[$0].output.isStandardOutput },
                       entries.indices.filter { entries[$0].output.isStandardOutput }].filter { !$0.isEmpty }
        let begun = members.map { Round($0, of: entries, chunk: chunk, plans: plans, context: context, fs) }
        rounds = begun
        return begun
    }

    /// Runs `body` on each round: at once on threads of their own (`ParallelJobs`) when
    /// `sideBySide` (a report is the last part of a large scan, and one core rendered it while the
    /// others idled), else the files' round first, so they are whole before standard output can
    /// block. Each round is independent of the other: its own outputs, sinks and hosts (each round
    /// makes every host's report itself), so standard output blocked or closed never stops a file,
    /// and a failing file never stops standard output.
    private static func run(_ rounds: [Round], sideBySide: Bool, _ body: @escaping @Sendable (Round) -> Void) {
        let jobs = rounds.map { round in { @Sendable in body(round) } }
        if sideBySide { _ = ParallelJobs.run(name: "portgrid-report", jobs) } else { jobs.forEach { $0() } }
    }

    /// Takes the closed rounds' entries back; returns their failures, files first.
    private mutating func end(_ rounds: [Round]) -> [ReportFileError] {
        var failures: [ReportFileError] = []
        for round in rounds {
            let outcome = round.close()
            for (index, entry) in zip(round.members, outcome.entries) { entries[index] = entry }
            failures += outcome.failures
        }
        return failures
    }

    /// What a round left: its outputs (closed) in the round's order, and its failures in writing order.
    private struct RoundOutcome {
        var entries: [Entry]
        var failures: [ReportFileError]
    }

    /// One round's outputs from their beginning (`ReportOutput.begin`) to their finish: a sink
    /// per format that appends its chunks to every output of that format still writing, and the
    /// report stream writing into those sinks. An output that fails is abandoned (a replaced
    /// file's temporary file removed, the old file untouched) and the others go on. Used by one
    /// thread at a time: the calls of `run` follow one another.
    private final class Round: @unchecked Sendable {
        /// Positions of the round's outputs in `ReportOutputs.entries`.
        let members: [Int]
        let feed: Feed
        let sinks: [(format: ReportFormat, sink: ReportSink)]
        var stream: ReportStream?

        init(_ members: [Int], of entries: [Entry], chunk: Int, plans: [ScanPlan], context: ReportContext?,
             _ fs: some FileSystem) {
            self.members = members
            let feed = Feed(members.map { entries[$0] }, fs)
            self.feed = feed
            let outputs = feed.entries.indices
            outputs.forEach { feed.begin($0) }
            var formats: [ReportFormat] = []
            for index in outputs where feed.writing.contains(index) && !formats.contains(feed.entries[index].format) {
                formats.append(feed.entries[index].format)
            }
            sinks = formats.map { format in
                let targets = outputs.filter { feed.entries[$0].format == format }
                return (format: format, sink: ReportSink(limit: chunk) { feed.append($0, to: targets) })
            }
            if let context, !sinks.isEmpty { stream = ReportStream(sinks, plans: plans, context: context) }
        }

        private var outcome: RoundOutcome?

        /// Finishes the round's outputs, once; later calls give the same outcome.
        @discardableResult
        func close() -> RoundOutcome {
            if let outcome { return outcome }
            feed.entries.indices.forEach { feed.finish($0) }
            let closed = RoundOutcome(entries: feed.entries,
                                      failures: feed.entries.indices.compactMap { feed.failures[$0] })
            outcome = closed
            return closed
        }
    }

    /// The outputs of one round while they are written, shared by the sinks that feed them.
    private final class Feed {
        var entries: [Entry]
        let fs: any FileSystem
        /// Outputs begun and not failed.
        var writing: Set<Int> = []
        var failures: [Int: ReportFileError] = [:]

        init(_ entries: [Entry], _ fs: some FileSystem) {
            self.entries = entries
            self.fs = fs
        }

        func begin(_ index: Int) {
            do throws(ReportFileError) {
                try entries[index].output.begin(fs)
                writing.insert(index)
            } catch {
                failures[index] = error
            }
        }

        func append(_ bytes: UnsafeRawBufferPointer, to members: [Int]) {
            for index in members where writing.contains(index) {
                do throws(ReportFileError) { try entries[index].output.append(bytes, fs) } catch {
                    failures[index] = error
                    writing.remove(index)
                    entries[index].output.abandon(fs)
                }
            }
        }

        func finish(_ index: Int) {
            guard writing.remove(index) != nil else { return }
            do throws(ReportFileError) { try entries[index].output.finish(fs) } catch { failures[index] = error }
        }
    }

    /// Closes what was opened, writing nothing (a run that ends with nothing to report).
    public mutating func discard() { discard(SystemFileSystem()) }

    mutating func discard(_ fs: some FileSystem) {
        closed = true
        for index in entries.indices { entries[index].output.close(fs) }
    }

    private var ordered: [Int] {
        entries.indices.filter { !entries[$0].output.isStandardOutput } + entries.indices.filter { entries[$0].output.isStandardOutput }
    }
}

/// What an output lands on, to find two outputs that name one thing by different spellings (`f`,
/// `./f`, a symbolic link to it, a hard link, `/dev/stdout` and `-`).
enum OutputIdentity: Equatable {
    case standardOutput
    /// An existing file, device, FIFO or socket, or an open descriptor.
    case node(device: UInt64, inode: UInt64)
    /// A file still to be created, by its canonical path.
    case newFile(ReportPath)
    /// Something whose identity cannot be known (a closed descriptor): equal to nothing else.
    case unknown(ReportPath)

    init(_ destination: OutputDestination, _ fs: some FileSystem) {
        switch destination {
        case .standardOutput:
            self = .standardOutput
        case .descriptor(let number):
            self = Self.node(fs.status(descriptor: number)) ?? .unknown(ReportPath("/dev/fd/\(number)"))
        case .inPlace(let path, _):
            self = Self.node(fs.status(path, followingLinks: true)) ?? .unknown(path)
        case .replace(_, let existing?), .append(_, let existing?):
            self = .node(device: existing.device, inode: existing.inode)
        case .replace(let path, nil), .append(let path, nil):
            let (directory, name) = path.split
            switch fs.canonical(directory) {
            case .success(let real): self = .newFile(real.appending(name))
            case .failure: self = .unknown(path)
            }
        }
    }

    /// The device number of a character device the destination writes to, nil for anything else.
    static func device(_ destination: OutputDestination, _ fs: some FileSystem) -> UInt64? {
        let status: Result<FileStatus, Errno>
        switch destination {
        case .descriptor(let number): status = fs.status(descriptor: number)
        case .inPlace(let path, .characterDevice): status = fs.status(path, followingLinks: true)
        case .standardOutput: status = fs.status(descriptor: 1)
        default: return nil
        }
        guard case .success(let found) = status, found.kind == .characterDevice else { return nil }
        return found.deviceNumber
    }

    static func node(_ status: Result<FileStatus, Errno>) -> OutputIdentity? {
        guard case .success(let status) = status else { return nil }
        return .node(device: status.device, inode: status.inode)
    }
}
