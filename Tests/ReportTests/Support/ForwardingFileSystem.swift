@testable import Report

/// A test file system that is the real one except where it says otherwise: every call it does not
/// implement goes to `real`, and standard output is never flushed into the test log.
protocol ForwardingFileSystem: FileSystem {
    var real: SystemFileSystem { get }
}

extension ForwardingFileSystem {
    func status(_ path: ReportPath, followingLinks: Bool) -> Result<FileStatus, Errno> { real.status(path, followingLinks: followingLinks) }
    func status(descriptor: Int32) -> Result<FileStatus, Errno> { real.status(descriptor: descriptor) }
    func readLink(_ path: ReportPath) -> Result<ReportPath, Errno> { real.readLink(path) }
    func canonical(_ path: ReportPath) -> Result<ReportPath, Errno> { real.canonical(path) }
    func checkWritable(_ path: ReportPath) -> Result<Void, Errno> { real.checkWritable(path) }
    func createExclusive(_ path: ReportPath, mode: UInt32) -> Result<Int32, Errno> { real.createExclusive(path, mode: mode) }
    func openForWriting(_ path: ReportPath, nonBlocking: Bool) -> Result<Int32, Errno> { real.openForWriting(path, nonBlocking: nonBlocking) }
    func openForAppending(_ path: ReportPath, mode: UInt32) -> Result<Int32, Errno> { real.openForAppending(path, mode: mode) }
    func connectSocket(_ path: ReportPath) -> Result<Int32, Errno> { real.connectSocket(path) }
    func duplicate(_ fd: Int32) -> Result<Int32, Errno> { real.duplicate(fd) }
    func setBlocking(_ fd: Int32) { real.setBlocking(fd) }
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno> { real.write(fd, bytes) }
    func sync(_ fd: Int32) -> Result<Void, Errno> { real.sync(fd) }
    func setPermissions(_ fd: Int32, _ permissions: UInt32) -> Result<Void, Errno> { real.setPermissions(fd, permissions) }
    func setOwner(_ fd: Int32, owner: UInt32, group: UInt32) { real.setOwner(fd, owner: owner, group: group) }
    func close(_ fd: Int32) -> Result<Void, Errno> { real.close(fd) }
    func rename(_ from: ReportPath, _ to: ReportPath) -> Result<Void, Errno> { real.rename(from, to) }
    func remove(_ path: ReportPath) { real.remove(path) }
    func syncDirectory(_ path: ReportPath) { real.syncDirectory(path) }
    func flushStandardOutput() {}
    func pause(milliseconds: Int) { real.pause(milliseconds: milliseconds) }
}
