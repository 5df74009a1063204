import Foundation

/// Dates as the formats print them, in the report's zone.
enum TimeText {
    /// C's `ctime` shape, which nmap uses: `Mon Nov  3 21:25:36 2026`.
    static func ctime(_ date: Date, _ zone: TimeZone) -> String {
        let c = components(date, zone)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = c.day < 10 ? " \(c.day)" : "\(c.day)"
        return "\(days[c.weekday - 1]) \(months[c.month - 1]) \(day) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) \(c.year)"
    }

    /// ISO 8601 with the zone's offset (`Z` for UTC), to the second.
    static func iso8601(_ date: Date, _ zone: TimeZone) -> String {
        let c = components(date, zone)
        let offset = zone.secondsFromGMT(for: date)
        let zoneText: String
        if offset == 0 {
            zoneText = "Z"
        } else {
            let minutes = abs(offset) / 60
            zoneText = (offset < 0 ? "-" : "+") + two(minutes / 60) + ":" + two(minutes % 60)
        }
        return "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))" + zoneText
    }

    /// `2026-11-23 21:25:36 UTC`, for people.
    static func readable(_ date: Date, _ zone: TimeZone) -> String {
        let c = components(date, zone)
        // Foundation calls UTC "GMT"; people and nmap say UTC.
        let offset = zone.secondsFromGMT(for: date)
        let name = offset == 0 && ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(zone.identifier)
            ? "UTC" : zone.abbreviation(for: date) ?? zone.identifier
        return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) \(name)"
    }

    /// Whole seconds since the epoch, as nmap's XML `start`/`time` attributes.
    static func unix(_ date: Date) -> Int64 { Int64(floor(date.timeIntervalSince1970)) }

    private struct Parts { var year, month, day, hour, minute, second, weekday: Int }

    private static func components(_ date: Date, _ zone: TimeZone) -> Parts {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        // Whole seconds, so every format agrees with the XML's integer timestamps.
        let whole = Date(timeIntervalSince1970: floor(date.timeIntervalSince1970))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: whole)
        return Parts(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1, hour: c.hour ?? 0,
                     minute: c.minute ?? 0, second: c.second ?? 0, weekday: c.weekday ?? 1)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
