import PortgridCore

extension Scanner {
    /// nmap's default: SYN when we may send raw packets, connect otherwise.
    public static var defaultTechnique: Technique { Privileges.canUseRawSockets ? .syn : .connect }
}
