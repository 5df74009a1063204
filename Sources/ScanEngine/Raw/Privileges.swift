/// Whether raw techniques are available to this process (CAP_NET_RAW, found by asking the kernel
/// for the two raw sockets the engine needs). Decided once per process.
enum Privileges {
    static let canUseRawSockets: Bool = CapabilitiesProbe.canOpenRawSockets()
}
