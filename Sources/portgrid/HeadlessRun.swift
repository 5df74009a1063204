import Glibc
import PortgridCore
import ScanEngine

/// A scan with no screen: events folded into a ResultStore, notices and (on a terminal) a
/// progress line on stderr. Returns whatever was found, however the scan ended.
struct HeadlessRun {
    let request: ScanRequest
    let verbosity: Int
    let control: ScanControl
    /// Sees every batch of results as it arrives (-sV probes open ports while the scan goes on).
    var onResults: @Sendable ([PortResult]) -> Void = { _ in }

    func run() async -> ResultStore {
        var store = ResultStore()
        let showProgress = isatty(STDERR_FILENO) == 1
        var lastProgress = ContinuousClock.now - .seconds(1)
        var progressShown = false
        for await event in Scanner().run(request, control: control) {
            store.apply(event)
            if case .results(let batch) = event { onResults(batch) }
            switch event {
            case .progress(let progress) where showProgress:
                let now = ContinuousClock.now
                if now - lastProgress >= .milliseconds(200) {
                    lastProgress = now
                    StandardError.write("\r\u{1B}[K" + ProgressLine.render(progress, technique: request.technique))
                    progressShown = true
                }
            case .notice(let notice):
                // Errors are reported once, at the end, as the exit reason.
                guard notice.level != .error else { break }
                guard notice.level == .warning || verbosity > 0 else { break }
                if progressShown { StandardError.write("\r\u{1B}[K"); progressShown = false }
                StandardError.write("portgrid: \(notice.level == .warning ? "warning: " : "")\(notice.message)\n")
            case .host(let host) where verbosity > 0:
                if progressShown { StandardError.write("\r\u{1B}[K"); progressShown = false }
                StandardError.write("portgrid: host \(host.address) is \(host.status.rawValue) (\(host.reason))\n")
            default:
                break
            }
        }
        if progressShown { StandardError.write("\r\u{1B}[K") }
        return store
    }
}

enum StandardError {
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 { if errno == EINTR { continue } else { return } }
            offset += written
        }
    }
}
