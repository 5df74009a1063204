/// Writes a finished report so that a crash or a full disk never leaves half a file: the text goes
/// to a temporary file in the same directory (rename is atomic only within one filesystem), is
/// flushed with fsync, and then renamed over the target. On any failure the temporary file is
/// removed and an existing target is left as it was. `-` means standard output.
public enum ReportFile {
    public static func write(_ text: String, to path: String) throws(ReportFileError) {
        try write(text, to: path, using: SystemFileSystem())
    }

    static func write(_ text: String, to path: String, using fs: some FileSystem) throws(ReportFileError) {
        var bytes = Array(text.utf8)
        if path == "-" {
            fs.flushStandardOutput()
            if case .failure(let error) = writeAll(&bytes, to: 1, fs) {
                throw .standardOutput(reason: error.description)
            }
            return
        }
        let (directory, name) = split(path)
        let temp = directory + "/." + name + ".portgrid-" + String(UInt64.random(in: 0...UInt64.max), radix: 36) + ".tmp"
        let fd: Int32
        switch fs.createExclusive(temp) {
        case .success(let opened): fd = opened
        case .failure(let error): throw .create(path: path, reason: error.description)
        }
        var failure: ReportFileError?
        if case .failure(let error) = writeAll(&bytes, to: fd, fs) {
            failure = .write(path: path, reason: error.description)
        } else if case .failure(let error) = fs.sync(fd) {
            failure = .sync(path: path, reason: error.description)
        }
        // Close errors on NFS-like filesystems report lost writes, so they count too.
        if case .failure(let error) = fs.close(fd), failure == nil {
            failure = .sync(path: path, reason: error.description)
        }
        if failure == nil, case .failure(let error) = fs.rename(temp, path) {
            failure = .replace(path: path, reason: error.description)
        }
        if let failure {
            fs.remove(temp)
            throw failure
        }
        fs.syncDirectory(directory)
    }

    private static func writeAll(_ bytes: inout [UInt8], to fd: Int32, _ fs: some FileSystem) -> Result<Void, Errno> {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { all in
                fs.write(fd, UnsafeRawBufferPointer(rebasing: all[offset...]))
            }
            switch result {
            case .success(let written): offset += written
            case .failure(let error): return .failure(error)
            }
        }
        return .success(())
    }

    /// Directory and file name; a bare name lives in the current directory.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
