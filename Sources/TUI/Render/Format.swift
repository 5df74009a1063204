import PortgridCore

/// Numbers and times as the screen shows them: short, fixed-ish widths.
enum Format {
    static func seconds(_ d: Duration) -> Double {
        d.inSeconds
    }

    /// 00:07, 12:34, 1:02:03.
    static func clock(_ d: Duration) -> String {
        let total = max(0, Int(seconds(d).rounded(.down)))
        let h = total / 3600, m = total / 60 % 60, s = total % 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(two(m)):\(two(s))"
    }

    /// 0.42s, 12.3s, 2m05s.
    static func duration(_ d: Duration) -> String {
        let s = seconds(d)
        if s < 60 { return fixed(s, s < 10 ? 2 : 1) + "s" }
        let whole = Int(s)
        let rest = whole % 60
        return "\(whole / 60)m" + (rest < 10 ? "0" : "") + "\(rest)s"
    }

    /// 0.06ms, 1.2ms, 35ms, 1.20s.
    static func rtt(_ d: Duration) -> String {
        let ms = seconds(d) * 1000
        if ms < 1 { return fixed(ms, 2) + "ms" }
        if ms < 10 { return fixed(ms, 1) + "ms" }
        if ms < 1000 { return "\(Int(ms.rounded()))ms" }
        return fixed(ms / 1000, 2) + "s"
    }

    /// 950, 1.2k, 35k, 1.5M.
    static func rate(_ value: Double) -> String {
        if value < 1000 { return "\(Int(value.rounded()))" }
        if value < 10_000 { return fixed(value / 1000, 1) + "k" }
        if value < 1_000_000 { return "\(Int((value / 1000).rounded()))k" }
        return fixed(value / 1_000_000, 1) + "M"
    }

    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale), fraction = scaled % Int(scale)
        guard digits > 0 else { return "\(whole)" }
        var text = "\(fraction)"
        while text.count < digits { text = "0" + text }
        return "\(whole).\(text)"
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    static func padRight(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
    }

    /// Text cut to `max` columns, the cut marked.
    static func cut(_ text: String, max: Int, ellipsis: Character) -> String {
        text.count <= max ? text : String(text.prefix(Swift.max(0, max - 1))) + String(ellipsis)
    }
}
