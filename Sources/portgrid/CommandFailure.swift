/// A reason to stop before scanning, shown as one line on stderr: usage errors (what was typed cannot
/// work, whatever the machine holds) exit 64, runtime failures (a path the file system refuses) 1.
struct CommandFailure: Error, CustomStringConvertible {
    static let usageStatus: Int32 = 64

    var description: String
    var status: Int32

    static func usage(_ message: String) -> CommandFailure { CommandFailure(description: message, status: usageStatus) }
    static func runtime(_ message: String, status: Int32 = 1) -> CommandFailure { CommandFailure(description: message, status: status) }
}
