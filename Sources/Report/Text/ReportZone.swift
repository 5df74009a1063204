/// The zone a report's human-readable times are written in.
public enum ReportZone: Sendable, Equatable {
    /// The process's local time (`TZ`, else `/etc/localtime`), named as C's `strftime("%Z")`
    /// names it: nmap's own text does the same, so both print `CET` or `UTC` alike.
    case local
    /// A fixed offset east of UTC, with the name the text prints: tests pin golden files with it.
    case fixed(secondsEastOfUTC: Int, name: String)

    public static let utc = ReportZone.fixed(secondsEastOfUTC: 0, name: "UTC")
}
