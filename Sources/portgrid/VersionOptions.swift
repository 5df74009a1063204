import ArgumentParser

/// `-sV` and its intensity flags, read as one choice so contradictions are refused in one place.
extension PortgridCommand {
    /// The version intensity asked for, or nil when `-sV` is off.
    func versionIntensity() throws -> Int? {
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
