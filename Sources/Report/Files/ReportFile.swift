import Glibc

/// Writes a report where its destination says (see `OutputDestination`).
///
/// A regular file is replaced so that a crash or a full disk never leaves half a file: the text goes,
/// chunk by chunk as it is written, to a temporary file in the same directory (rename is atomic only within one filesystem), gets the
/// old file's mode and owner (a new file 0644 less the umask, as nmap's), is flushed with fsync, and
/// is renamed over the target. On any failure the temporary file is removed and an existing target is
/// left as it was. Anything else is written in place through a descriptor opened before the scan.
public enum ReportFile {
    /// Resolves, opens and writes `path` at once: the TUI's `e` export. A FIFO's reader gets a few
    /// seconds to appear, so an export never hangs the screen.
    public static func write(_ text: String, to path: String) throws(ReportFileError) {
        let fs = SystemFileSystem()
        var output = try ReportOutput.open(ReportPath(path), label: path, readerWait: .seconds(5), fs)
        try output.write(text, fs)
    }

    /// Resolves, opens and writes one format of `report` to `path` host by host, never holding its
    /// whole text: the TUI's `e` export and `merge`'s outputs. A FIFO's reader gets a few seconds.
    public static func write(_ format: ReportFormat, _ report: ScanReport, context: ReportContext,
                             to path: String) throws(ReportFileError) {
        let fs = SystemFileSystem()
        var output = try ReportOutput.open(ReportPath(path), label: path, readerWait: .seconds(5), fs)
        try output.begin(fs)
        var failure: ReportFileError?
        let sink = ReportSink { bytes in
            guard failure == nil else { return }
            do throws(ReportFileError) { try output.append(bytes, fs) } catch { failure = error }
        }
        Report.write(report, context: context, to: [(format, sink)])
        if let failure {
            output.abandon(fs)
            throw failure
        }
        try output.finish(fs)
    }

    /// New reports: rw-r--r-- before the umask.
    static let newFileMode: UInt32 = 0o644

    /// The temporary file a replaced report is written into, created when its writing begins.
    struct Replacement {
        let target: ReportPath
        let temp: ReportPath
        let descriptor: Int32
        let label: String

        /// Creates the temporary file beside `target`, with the existing file's owner and mode.
        static func begin(_ target: ReportPath, existing: FileStatus?, label: String,
                          _ fs: some FileSystem) throws(ReportFileError) -> Replacement {
            let (directory, name) = target.split
            let suffix = ".portgrid-" + String(UInt64.random(in: 0...UInt64.max), radix: 36) + ".tmp"
            let temp = directory.appending(ReportPath(bytes: [UInt8(ascii: ".")] + name.bytes + Array(suffix.utf8)))
            // An existing report's mode is set by fchmod below, so the new file starts private rather
            // than briefly readable by everyone.
            let fd: Int32
            switch fs.createExclusive(temp, mode: existing == nil ? newFileMode : 0o600) {
            case .success(let opened): fd = opened
            case .failure(let error): throw .create(path: label, reason: error.description)
            }
            let replacement = Replacement(target: target, temp: temp, descriptor: fd, label: label)
            if let existing {
                fs.setOwner(fd, owner: existing.owner, group: existing.group)
                if case .failure(let error) = fs.setPermissions(fd, existing.permissions) {
                    replacement.abandon(fs)
                    throw .create(path: label, reason: error.description)
                }
            }
            return replacement
        }

        /// Adds the next part of the report to the temporary file.
        func append(_ bytes: UnsafeRawBufferPointer, _ fs: some FileSystem) throws(ReportFileError) {
            if case .failure(let error) = writeAll(bytes, to: descriptor, fs) {
                throw .write(path: label, reason: error.description)
            }
        }

        /// Makes the temporary file durable and renames it over the target; on a failure it is
        /// removed and the target left as it was.
        func commit(_ fs: some FileSystem) throws(ReportFileError) {
            var failure: ReportFileError?
            if case .failure(let error) = fs.sync(descriptor) {
                failure = .sync(path: label, reason: error.description)
            }
            // Close errors on NFS-like filesystems report lost writes, so they count too.
            if case .failure(let error) = fs.close(descriptor), failure == nil {
                failure = .sync(path: label, reason: error.description)
            }
            if failure == nil, case .failure(let error) = fs.rename(temp, target) {
                failure = .replace(path: label, reason: error.description)
            }
            if let failure {
                fs.remove(temp)
                throw failure
            }
            fs.syncDirectory(target.split.directory)
        }

        /// Closes and removes the temporary file; the target is never touched.
        func abandon(_ fs: some FileSystem) {
            _ = fs.close(descriptor)
            fs.remove(temp)
        }
    }

    /// Writes all of `bytes`, continuing short writes.
    static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, _ fs: some FileSystem) -> Result<Void, Errno> {
        var offset = 0
        while offset < bytes.count {
            let result = fs.write(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            switch result {
            case .success(let written): offset += written
            case .failure(let error): return .failure(error)
            }
        }
        return .success(())
    }
}
