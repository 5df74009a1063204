import ArgumentParser

/// SERVICE/VERSION DETECTION: -sV and its intensity, read as one choice so contradictions are
/// refused in one place.
struct VersionOptions: ParsableArguments {
    @Flag(name: .customLong("sV", withSingleDash: true), help: "Detect the service and version on each open port.")
    var versionDetection = false
    @Option(name: .customLong("version-intensity"),
            help: ArgumentHelp("With -sV: probes to try, 0 (fewest) to 9 (all). Default 7.", valueName: "0-9"),
            completion: .list((0...9).map(String.init)))
    var versionIntensityText: String?
    @Flag(name: .customLong("version-light"), help: "With -sV: intensity 2 (fast, the likely probes only).")
    var versionLight = false
    @Flag(name: .customLong("version-all"), help: "With -sV: intensity 9 (every probe).")
    var versionAll = false

    /// The version intensity asked for, or nil when `-sV` is off. `pingOnly`: -sn was given.
    func intensity(pingOnly: Bool) throws -> Int? {
        if versionLight && versionAll { throw ValidationError("--version-light and --version-all contradict each other: choose one") }
        var intensity: Int?
        if let text = versionIntensityText {
            guard let value = Int(text), (0...9).contains(value) else {
                throw ValidationError("--version-intensity must be a whole number from 0 to 9, not '\(text)'")
            }
            guard !versionLight && !versionAll else {
                throw ValidationError("--version-intensity contradicts --version-light/--version-all: choose one")
            }
            intensity = value
        }
        if versionLight { intensity = 2 }
        if versionAll { intensity = 9 }
        guard versionDetection else {
            if intensity != nil { throw ValidationError("--version-intensity, --version-light and --version-all need -sV") }
            return nil
        }
        if pingOnly { throw ValidationError("-sV needs a port scan; -sn only finds hosts") }
        return intensity ?? 7
    }
}
