import PortgridCore

/// What a report says of the run as a whole: its plans, whether it was interrupted, and what it
/// counts over the hosts it lists (the summary line, XML's `<hosts>`, the ports not scanned).
/// `ScanReport` counts its own hosts; a run written hostgroup by hostgroup adds each group's up
/// (`add`), so its footer counts every group without holding any.
public struct ReportTotals: Sendable {
    /// The scan plans, one per technique run, in technique order.
    public var plans: [ScanPlan]
    public var interrupted: Bool
    /// Hosts listed, up or down.
    public var reportedCount = 0
    public var upCount = 0
    public var downCount = 0
    /// Hosts `--open` left out (up, with no port it shows): nmap still counts them in its summary
    /// ("1 IP address (1 host up) scanned"), so the writers' totals add them.
    public var hiddenByOpen = 0
    /// Planned ports with no result, over every host listed.
    public var notScannedCount = 0
    /// Whether any host listed has a link-layer address (normal output then names its data files).
    public var hasMAC = false

    public init(plans: [ScanPlan], interrupted: Bool) {
        self.plans = plans
        self.interrupted = interrupted
    }

    /// Every address the summary line counts, shown or left out by `--open`.
    public var addressCount: Int { reportedCount + hiddenByOpen }
    /// Every host up, shown or left out by `--open`.
    public var allUpCount: Int { upCount + hiddenByOpen }

    /// Counts `part`'s hosts too (its plans and interruption are the run's, set apart).
    public mutating func add(_ part: ReportTotals) {
        reportedCount += part.reportedCount
        upCount += part.upCount
        downCount += part.downCount
        hiddenByOpen += part.hiddenByOpen
        notScannedCount += part.notScannedCount
        hasMAC = hasMAC || part.hasMAC
    }
}
