import Glibc

/// One output, opened or checked before the first probe (so a bad path costs milliseconds, not a
/// scan) and written once at the end.
struct ReportOutput {
    /// How the output is named in messages: the flag and the path as typed.
    let label: String
    let destination: OutputDestination
    /// The descriptor opened before the scan for an in-place destination, closed after the write.
    private(set) var descriptor: Int32?

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

    /// Whether the text goes to this process's standard output (`-`, `/dev/stdout`, `/dev/fd/1`).
    var isStandardOutput: Bool {
        switch destination {
        case .standardOutput, .descriptor(1): true
        default: false
        }
    }

    /// Writes the whole text, then releases the descriptor; at most once.
    mutating func write(_ text: String, _ fs: some FileSystem) throws(ReportFileError) {
        // The string's own UTF-8 storage is written: a report of a /16 is tens of megabytes, and a
        // copy of it as an array would double the process's peak at its very end.
        var text = text
        let outcome = text.withUTF8 { utf8 -> Result<Void, ReportFileError> in
            do throws(ReportFileError) { try write(bytes: UnsafeRawBufferPointer(utf8), fs) } catch { return .failure(error) }
            return .success(())
        }
        try outcome.get()
    }

    private mutating func write(bytes: UnsafeRawBufferPointer, _ fs: some FileSystem) throws(ReportFileError) {
        defer { close(fs) }
        switch destination {
        case .standardOutput:
            fs.flushStandardOutput()
            if case .failure(let error) = ReportFile.writeAll(bytes, to: STDOUT_FILENO, fs) {
                throw .standardOutput(reason: error.description)
            }
        case .descriptor, .inPlace:
            guard let descriptor else { return }
            if case .failure(let error) = ReportFile.writeAll(bytes, to: descriptor, fs) {
                if isStandardOutput { throw .standardOutput(reason: error.description) }
                throw .write(path: label, reason: error.description)
            }
        case .replace(let target, let existing):
            try ReportFile.replace(target, existing: existing, label: label, bytes: bytes, fs)
        case .append:
            guard let descriptor else { return }
            if case .failure(let error) = ReportFile.writeAll(bytes, to: descriptor, fs) {
                throw .write(path: label, reason: error.description)
            }
            if case .failure(let error) = fs.sync(descriptor) { throw .sync(path: label, reason: error.description) }
        }
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
