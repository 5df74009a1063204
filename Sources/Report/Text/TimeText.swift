import FoundationEssentials
import Glibc

/// Dates as the formats print them, in the report's zone. The calendar is C's (`localtime_r`,
/// `gmtime_r`): FoundationEssentials knows no zone but UTC, and nmap reads the same tables.
enum TimeText {
    /// C's `ctime` shape, which nmap uses: `Mon Nov  3 21:25:36 2026`.
    static func ctime(_ date: Date, _ zone: ReportZone) -> String {
        let c = Parts(date, zone)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = c.day < 10 ? " \(c.day)" : "\(c.day)"
        return "\(days[c.weekday]) \(months[c.month - 1]) \(day) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) \(c.year)"
    }

    /// ISO 8601 with the zone's offset (`Z` for UTC), to the second.
    static func iso8601(_ date: Date, _ zone: ReportZone) -> String {
        let c = Parts(date, zone)
        let zoneText: String
        if c.offset == 0 {
            zoneText = "Z"
        } else {
            let minutes = abs(c.offset) / 60
            zoneText = (c.offset < 0 ? "-" : "+") + two(minutes / 60) + ":" + two(minutes % 60)
        }
        return "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))" + zoneText
    }

    /// `2026-11-23 21:25:36 UTC`, for people.
    static func readable(_ date: Date, _ zone: ReportZone) -> String {
        let c = Parts(date, zone)
        // The C library may call UTC "GMT"; people and nmap say UTC.
        let name = c.offset == 0 && ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "UCT", "Universal", "Zulu"].contains(c.name) ? "UTC" : c.name
        return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) \(name)"
    }

    /// Whole seconds since the epoch, as nmap's XML `start`/`time` attributes.
    static func unix(_ date: Date) -> Int64 { Int64(floor(date.timeIntervalSince1970)) }

    /// A moment's calendar fields in a zone, to the whole second, so every format agrees with the
    /// XML's integer timestamps.
    private struct Parts {
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0
        /// 0 for Sunday, as C counts.
        var weekday = 4
        var offset = 0
        var name = "UTC"

        init(_ date: Date, _ zone: ReportZone) {
            var fields = tm()
            switch zone {
            case .local:
                var seconds = time_t(TimeText.unix(date))
                guard localtime_r(&seconds, &fields) != nil else { return }
                offset = fields.tm_gmtoff
                name = fields.tm_zone.map { String(cString: $0) } ?? "UTC"
            case .fixed(let east, let zoneName):
                var seconds = time_t(TimeText.unix(date) + Int64(east))
                guard gmtime_r(&seconds, &fields) != nil else { return }
                offset = east
                name = zoneName
            }
            year = Int(fields.tm_year) + 1900
            month = Int(fields.tm_mon) + 1
            day = Int(fields.tm_mday)
            hour = Int(fields.tm_hour)
            minute = Int(fields.tm_min)
            second = Int(fields.tm_sec)
            weekday = Int(fields.tm_wday)
        }
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
