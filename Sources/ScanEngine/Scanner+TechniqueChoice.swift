import PortgridCore

/// The technique a scan actually runs: nmap's rule for SYN is "connect when raw packets cannot do
/// it", with one notice saying so. Raw packets cannot when the process may not open a raw socket
/// (IPv4 and IPv6 targets alike: both have raw probes). The other raw techniques cannot be faked with
/// connect and fail clearly.
enum TechniqueChoice {
    static let fallbackSuffix = "falling back to TCP connect scan (-sT)"

    static func effective(_ requested: Technique, rawAllowed: Bool)
        throws(ScanError) -> (technique: Technique, notice: Notice?) {
        guard requested.needsRawSocket else { return (requested, nil) }
        guard rawAllowed else {
            guard requested == .syn else {
                throw .needsPrivilege("\(requested.title) scan (\(requested.flag))")
            }
            return (.connect, Notice(.warning, "SYN scan needs root or CAP_NET_RAW; \(fallbackSuffix)"))
        }
        return (requested, nil)
    }
}

extension Scanner {
    /// The technique a scan of `requested` runs on this machine (`TechniqueChoice`): a SYN scan
    /// without raw sockets is a connect scan. A report written before the scan announces its plan
    /// (a port scan's down hosts, written as its discovery goes) names the scan by it.
    public static func effectiveTechnique(_ requested: Technique) -> Technique {
        (try? TechniqueChoice.effective(requested, rawAllowed: Privileges.canUseRawSockets).technique) ?? requested
    }
}
