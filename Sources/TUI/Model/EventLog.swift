import PortgridCore

/// One line of the event log.
struct LogEntry: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case found, info, warning, error, change }

    /// Time since the session started.
    var at: Duration
    var kind: Kind
    var text: String
}

/// What happened during the session, oldest first, so nothing a person saw flash by is lost:
/// discoveries, notices, technique, range and timing changes. Bounded: the oldest lines go once
/// it holds `limit` (a scan of a host with every port open must not grow the screen's memory).
struct EventLog: Hashable, Sendable {
    static let limit = 2_000

    private(set) var entries: [LogEntry] = []
    /// Lines dropped off the front since the session started.
    private(set) var dropped = 0

    var count: Int { entries.count }

    mutating func add(_ kind: LogEntry.Kind, _ text: String, at time: Duration) {
        entries.append(LogEntry(at: time, kind: kind, text: text))
        if entries.count > Self.limit {
            // Drop a block at once: removing from the front one by one is quadratic.
            let cut = Self.limit / 4
            entries.removeFirst(cut)
            dropped += cut
        }
    }
}

extension LogEntry.Kind {
    init(_ level: Notice.Level) {
        switch level {
        case .info: self = .info
        case .warning: self = .warning
        case .error: self = .error
        }
    }
}
