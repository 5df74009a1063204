import Glibc
import PortgridCore
import ScanEngine

/// A scan with no screen: events folded into a ResultStore, notices on stderr, a live progress line
/// when stderr is a terminal and, with `--stats-every`, a progress line of its own every so often
/// (for logs: stderr redirected to a file gets whole lines, never carriage returns). A termination
/// signal stops the scan; whatever was found is returned, however the scan ended.
struct HeadlessRun {
    let request: ScanRequest
    let verbosity: Int
    let stats: StatsLines?
    /// Sees every batch of results as it arrives (-sV probes open ports while the scan goes on).
    var onResults: @Sendable (PortResults) -> Void = { _ in }

    /// The hostgroup size of a headless run that gives no `--max-hostgroup`
    /// (`ScanRequest.defaultHostgroup`): a /16 is one group, as fast as ever, and a larger plan
    /// goes a /16 at a time, each group written out and let go when it finishes, so a /15 takes
    /// the memory of a /16 and not twice it.
    static let defaultHostgroup = 65_536

    /// `hostgroupDone` is handed the store and the hosts of each finished hostgroup
    /// (`ScanEvent.hostgroupDone`): it may take them out (`ResultStore.takeHosts`) and write them.
    /// By default they stay, and the outcome holds every host.
    func run(hostgroupDone: (inout ResultStore, HostList) async -> Void = { _, _ in }) async -> RunOutcome {
        let control = ScanControl(timing: request.timing)
        // The scan waits at each group's end until the group is written (or kept).
        control.writesHostgroups()
        let watch = TerminationSignals.shared.watch { _ in control.cancel() }
        defer { watch.cancel() }
        var store = ResultStore()
        let live = isatty(STDERR_FILENO) == 1
        var lastLive = ContinuousClock.now - .seconds(1)
        var liveShown = false
        func clearLive() {
            if liveShown { StandardError.write("\r\u{1B}[K"); liveShown = false }
        }
        for await event in Scanner().run(request, control: control) {
            store.apply(event)
            if let line = stats?.line(for: event) {
                clearLive()
                StandardError.write(line)
            }
            if case .results(let batch) = event { onResults(batch) }
            switch event {
            case .progress(let progress):
                let now = ContinuousClock.now
                if live, now - lastLive >= .milliseconds(200) {
                    lastLive = now
                    StandardError.write("\r\u{1B}[K" + ProgressLine.render(progress, technique: request.technique))
                    liveShown = true
                }
            case .notice(let notice):
                // Errors are reported once, at the end, as the exit reason.
                guard notice.level != .error else { break }
                guard notice.level == .warning || verbosity > 0 else { break }
                clearLive()
                StandardError.write("portgrid: \(notice.level == .warning ? "warning: " : "")\(notice.message)\n")
            case .trace(let line):
                // --packet-trace: on stdout, before the report, as nmap prints it.
                clearLive()
                print(line)
            case .host(let host) where verbosity > 0:
                clearLive()
                StandardError.write(Self.hostLine(host))
            case .hosts(let hosts) where verbosity > 0:
                clearLive()
                for host in hosts { StandardError.write(Self.hostLine(host)) }
            case .hostsDown(let down) where verbosity > 0:
                clearLive()
                for host in down.hosts { StandardError.write(Self.hostLine(host)) }
            case .hostgroupDone(let hosts):
                clearLive()
                await hostgroupDone(&store, hosts)
                control.hostgroupWritten()
            default:
                break
            }
        }
        clearLive()
        let summary = store.summary
        return RunOutcome(store: store,
                          // One scan: if it did not complete, the results are partial.
                          interrupted: summary == nil || summary?.outcome == .cancelled,
                          signal: TerminationSignals.shared.received,
                          failure: summary?.outcome == .failed ? summary?.error ?? "scan failed" : nil,
                          scanSeconds: summary.map { $0.elapsed / .seconds(1) })
    }

    /// `-v`: a host's status as it becomes known.
    private static func hostLine(_ host: HostResult) -> String {
        "portgrid: host \(host.address) is \(host.status.rawValue) (\(host.reason))\n"
    }
}

enum StandardError {
    /// Best effort: with stderr gone there is nobody to tell.
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 { if errno == EINTR { continue } else { return } }
            offset += written
        }
    }
}
