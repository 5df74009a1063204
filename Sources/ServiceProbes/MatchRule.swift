/// One `match` or `softmatch` line: a service name, a pattern, and the templates that fill the version fields.
public struct MatchRule: Sendable {
    public var service: String
    public var pattern: Pattern
    public var isSoft: Bool
    public var templates: VersionTemplates
    public var line: Int

    public init(service: String, pattern: Pattern, isSoft: Bool, templates: VersionTemplates, line: Int) {
        self.service = service
        self.pattern = pattern
        self.isSoft = isSoft
        self.templates = templates
        self.line = line
    }

    /// The identification when `response` matches this rule.
    public func apply(to response: [UInt8], probe: String) -> ServiceMatch? {
        guard let captures = pattern.match(response) else { return nil }
        var match = ServiceMatch(service: service, isSoft: isSoft, probe: probe, line: line)
        match.product = templates.product.flatMap { $0.fill(captures, limit: 80) }
        match.version = templates.version.flatMap { $0.fill(captures, limit: 80) }
        match.info = templates.info.flatMap { $0.fill(captures, limit: 256) }
        match.hostname = templates.hostname.flatMap { $0.fill(captures, limit: 80) }
        match.osType = templates.osType.flatMap { $0.fill(captures, limit: 32) }
        match.deviceType = templates.deviceType.flatMap { $0.fill(captures, limit: 32) }
        // nmap keeps one CPE per part (a, h, o), the last template of that part winning.
        var byPart: [(part: UInt8, cpe: String)] = []
        for template in templates.cpes {
            guard let cpe = template.fill(captures, limit: 80, transform: Template.cpeEscaped) else { continue }
            let bytes = Array(cpe.utf8)
            guard bytes.count > 5 else { continue }
            let part = bytes[5]
            byPart.removeAll { $0.part == part }
            byPart.append((part, cpe))
        }
        match.cpes = byPart.sorted { Self.partOrder($0.part) < Self.partOrder($1.part) }.map(\.cpe)
        return match
    }

    private static func partOrder(_ part: UInt8) -> Int {
        switch part { case UInt8(ascii: "a"): 0; case UInt8(ascii: "h"): 1; case UInt8(ascii: "o"): 2; default: 3 }
    }
}

/// The `p/ v/ i/ h/ o/ d/ cpe:/` templates of a rule; a field without a template stays empty.
public struct VersionTemplates: Sendable {
    public var product: Template?
    public var version: Template?
    public var info: Template?
    public var hostname: Template?
    public var osType: Template?
    public var deviceType: Template?
    public var cpes: [Template] = []

    public init() {}
}

/// What a rule said about a service: nmap's MatchDetails.
public struct ServiceMatch: Sendable, Hashable {
    public var service: String
    public var isSoft: Bool
    public var product: String?
    public var version: String?
    public var info: String?
    public var hostname: String?
    public var osType: String?
    public var deviceType: String?
    public var cpes: [String] = []
    /// The probe whose answer matched, and the rule's line in the probe file.
    public var probe: String
    public var line: Int

    public init(service: String, isSoft: Bool, probe: String, line: Int) {
        self.service = service
        self.isSoft = isSoft
        self.probe = probe
        self.line = line
    }
}
