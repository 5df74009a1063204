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
/// once at the end: files first, standard output last, each failure reported without stopping the
/// others. The results table goes to standard output too, unless an output already writes there.
public struct ReportOutputs {
    struct Entry {
        var format: ReportFormat
        var output: ReportOutput
    }

    private var entries: [Entry]
    private var closed = false

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

    /// The formats to render, in writing order, so a caller renders each once.
    public var formats: [ReportFormat] { ordered.map { entries[$0].format } }

    /// Writes each output once with `render(format)`: files first, so a stuck or closed standard
    /// output cannot hold them back; returns every failure, in order.
    public mutating func write(_ render: (ReportFormat) -> String) -> [ReportFileError] {
        write(render, SystemFileSystem())
    }

    mutating func write(_ render: (ReportFormat) -> String, _ fs: some FileSystem) -> [ReportFileError] {
        guard !closed else { return [] }
        closed = true
        var failures: [ReportFileError] = []
        // A format's text is kept only while a later output still needs it: a big scan's reports
        // are megabytes each, and holding every format's to the end summed them.
        let order = ordered
        var rendered: [ReportFormat: String] = [:]
        for (position, index) in order.enumerated() {
            let format = entries[index].format
            let text = rendered[format] ?? render(format)
            let neededAgain = order[(position + 1)...].contains { entries[$0].format == format }
            rendered[format] = neededAgain ? text : nil
            do { try entries[index].output.write(text, fs) } catch { failures.append(error) }
        }
        return failures
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
