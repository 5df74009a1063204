import Glibc

/// One output, opened or checked before the first probe (so a bad path costs milliseconds, not a
/// scan) and written once at the end, whole (`write`) or part by part (`begin`, `append`, `finish`).
struct ReportOutput {
    /// How the output is named in messages: the flag and the path as typed.
    let label: String
    let destination: OutputDestination
    /// The descriptor opened before the scan for an in-place destination, closed after the write.
    private(set) var descriptor: Int32?
    /// A regular file's temporary file, from `begin` to `finish` or `abandon`.
    private var replacement: ReportFile.Replacement?

    /// Decides the destination and prepares it: in-place destinations are opened now; a regular
    /// file is checked by creating (and removing) a file beside it and, when it exists, by asking
    /// whether it may be written. A FIFO with no reader is waited for until one comes, `readerWait`
    /// has passed (nil: no limit) or `stop` says so.
    /// With `append`, a regular file is opened now to be written at its end (`OutputDestination.append`).
    static func open(_ path: ReportPath, label: String, readerWait: Duration?, append: Bool = false,
                     stop: () -> Bool = { false }, _ fs: some FileSystem) throws(ReportFileError) -> ReportOutput {
        var destination = try OutputDestination.resolve(path, fs)
        if append, case .replace(let target, let existing) = destination { destination = .append(target, existing: existing) }
        var descriptor: Int32?
        switch destination {
        case .standardOutput:
            break
        case .descriptor(let number):
            switch fs.duplicate(number) {
            case .success(let copy): descriptor = copy
            case .failure(let error): throw .open(path: label, reason: error.description)
            }
        case .inPlace(let target, .socket):
            switch fs.connectSocket(target) {
            case .success(let fd): descriptor = fd
            case .failure(let error): throw .open(path: label, reason: error.description)
            }
        case .inPlace(let target, let kind):
            descriptor = try openInPlace(target, fifo: kind == .fifo, label: label, readerWait: readerWait, stop: stop, fs)
        case .replace(let target, let existing):
            try probe(target, existing: existing, label: label, fs)
        case .append(let target, _):
            switch fs.openForAppending(target, mode: ReportFile.newFileMode) {
            case .success(let fd): descriptor = fd
            case .failure(let error): throw .open(path: label, reason: error.description)
            }
        }
        return ReportOutput(label: label, destination: destination, descriptor: descriptor)
    }

    init(label: String, destination: OutputDestination, descriptor: Int32? = nil) {
        self.label = label
        self.destination = destination
        self.descriptor = descriptor
    }

    /// Whether the text goes to this process's standard output (`-`, `/dev/stdout`, `/dev/fd/1`).
    var isStandardOutput: Bool {
        switch destination {
        case .standardOutput, .descriptor(1): true
        default: false
        }
    }

    /// Writes the whole text, then releases the descriptor; at most once.
    mutating func write(_ text: String, _ fs: some FileSystem) throws(ReportFileError) {
        try begin(fs)
        var text = text
        let outcome = text.withUTF8 { utf8 -> Result<Void, ReportFileError> in
            do throws(ReportFileError) { try append(UnsafeRawBufferPointer(utf8), fs) } catch { return .failure(error) }
            return .success(())
        }
        if case .failure(let error) = outcome {
            abandon(fs)
            throw error
        }
        try finish(fs)
    }

    /// Starts a report written in parts (`append`, then `finish`, or `abandon` after a failure): a
    /// regular file's temporary file is created now.
    mutating func begin(_ fs: some FileSystem) throws(ReportFileError) {
        switch destination {
        case .standardOutput:
            // Raw writes to descriptor 1 land after what `print` buffered.
            fs.flushStandardOutput()
        case .replace(let target, let existing):
            do throws(ReportFileError) {
                replacement = try ReportFile.Replacement.begin(target, existing: existing, label: label, fs)
            } catch {
                close(fs)
                throw error
            }
        case .descriptor, .inPlace, .append:
            break
        }
    }

    /// Writes the next part of the report. After a throw the caller abandons the output.
    mutating func append(_ bytes: UnsafeRawBufferPointer, _ fs: some FileSystem) throws(ReportFileError) {
        switch destination {
        case .standardOutput:
            if case .failure(let error) = ReportFile.writeAll(bytes, to: STDOUT_FILENO, fs) {
                throw .standardOutput(reason: error.description)
            }
        case .descriptor, .inPlace, .append:
            guard let descriptor else { return }
            if case .failure(let error) = ReportFile.writeAll(bytes, to: descriptor, fs) {
                if isStandardOutput { throw .standardOutput(reason: error.description) }
                throw .write(path: label, reason: error.description)
            }
        case .replace:
            try replacement?.append(bytes, fs)
        }
    }

    /// Ends the report: a replaced file is synced and renamed over its target, an appended one
    /// synced; then the descriptor is released.
    mutating func finish(_ fs: some FileSystem) throws(ReportFileError) {
        defer { close(fs) }
        switch destination {
        case .replace:
            let replacement = replacement
            self.replacement = nil
            try replacement?.commit(fs)
        case .append:
            guard let descriptor else { return }
            if case .failure(let error) = fs.sync(descriptor) { throw .sync(path: label, reason: error.description) }
        case .standardOutput, .descriptor, .inPlace:
            break
        }
    }

    /// Gives up a report after a failure: a temporary file is removed (the old file stays as it
    /// was) and the descriptor released.
    mutating func abandon(_ fs: some FileSystem) {
        replacement?.abandon(fs)
        replacement = nil
        close(fs)
    }

    /// Releases what `open` took without writing (a run that ends with nothing to report).
    mutating func close(_ fs: some FileSystem) {
        if let descriptor { _ = fs.close(descriptor) }
        descriptor = nil
    }

    private static func openInPlace(_ target: ReportPath, fifo: Bool, label: String, readerWait: Duration?,
                                    stop: () -> Bool, _ fs: some FileSystem) throws(ReportFileError) -> Int32 {
        guard fifo else {
            switch fs.openForWriting(target, nonBlocking: false) {
            case .success(let fd): return fd
            case .failure(let error): throw .open(path: label, reason: error.description)
            }
        }
        // A blocking open of a FIFO waits for a reader with no way out; polling a non-blocking one
        // lets a signal (or the export's patience) end the wait.
        let deadline = readerWait.map { ContinuousClock.now + $0 }
        while true {
            switch fs.openForWriting(target, nonBlocking: true) {
            case .success(let fd):
                fs.setBlocking(fd)
                return fd
            case .failure(let error) where error.code == ENXIO:
                if stop() || deadline.map({ ContinuousClock.now >= $0 }) == true {
                    throw .open(path: label, reason: "no process is reading the FIFO")
                }
                fs.pause(milliseconds: 20)
            case .failure(let error):
                throw .open(path: label, reason: error.description)
            }
        }
    }

    /// A regular file is written at the end; now only check that it can be: the existing file is
    /// writable, and a file can be created beside it (directory exists, permissions, read-only fs).
    private static func probe(_ target: ReportPath, existing: FileStatus?, label: String, _ fs: some FileSystem) throws(ReportFileError) {
        if existing != nil, case .failure(let error) = fs.checkWritable(target) {
            throw .open(path: label, reason: error.description)
        }
        let (directory, name) = target.split
        let suffix = ".portgrid-check-" + String(UInt64.random(in: 0...UInt64.max), radix: 36) + ".tmp"
        let probe = directory.appending(ReportPath(bytes: [UInt8(ascii: ".")] + name.bytes + Array(suffix.utf8)))
        switch fs.createExclusive(probe, mode: 0o600) {
        case .success(let fd):
            _ = fs.close(fd)
            fs.remove(probe)
        case .failure(let error):
            throw .open(path: label, reason: error.description)
        }
    }
}
