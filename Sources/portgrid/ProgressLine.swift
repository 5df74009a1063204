import PortgridCore

/// Headless progress on stderr: the live meter for a terminal, and the `--stats-every` line for logs.
enum ProgressLine {
    static func render(_ progress: ScanProgress, technique: Technique, width: Int = 30) -> String {
        let filled = Int(progress.fraction * Double(width))
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            + String(repeating: " ", count: max(0, width - filled - 1))
        let percent = Int(progress.fraction * 100)
        let eta = progress.eta.map { " ETA \(format($0))" } ?? ""
        return "\(technique.flag) [\(bar)] \(percent)% \(progress.completed)/\(progress.total)"
            + " \(Int(progress.rate)) pps \(format(progress.elapsed))\(eta)"
    }

    /// `stats: 5.0s elapsed; -sT 45% done (4500/10000), 900 pps, ETA 6.1s`, as nmap's `--stats-every`
    /// line says it, on one line.
    static func stats(_ progress: ScanProgress, technique: Technique) -> String {
        let eta = progress.eta.map { ", ETA \(format($0))" } ?? ", ETA --"
        return "stats: \(format(progress.elapsed)) elapsed; \(technique.flag) \(Int(progress.fraction * 100))% done "
            + "(\(progress.completed)/\(progress.total)), \(Int(progress.rate)) pps\(eta)"
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.components.seconds
        if seconds < 60 {
            let tenths = Int(duration.components.attoseconds / 100_000_000_000_000_000)
            return "\(seconds).\(tenths)s"
        }
        return "\(seconds / 60)m\(String(format2: Int(seconds % 60)))s"
    }
}

private extension String {
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
