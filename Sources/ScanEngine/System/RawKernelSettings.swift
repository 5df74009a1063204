import FoundationEssentials

/// The few sysctls the raw engine reads: which local ports the kernel hands out (our probes'
/// source ports stay clear of them) and who may open unprivileged ICMP sockets.
enum RawKernelSettings {
    static var ephemeralPorts: ClosedRange<UInt16> {
        read("/proc/sys/net/ipv4/ip_local_port_range").flatMap(SourcePortRange.parseEphemeral) ?? 32768...60999
    }

    /// `net.ipv4.ping_group_range`: the gids allowed ICMP datagram sockets ("1 0" = nobody).
    static var pingGroupRange: ClosedRange<UInt32>? {
        guard let text = read("/proc/sys/net/ipv4/ping_group_range") else { return nil }
        let numbers = text.split(whereSeparator: \.isWhitespace).compactMap { UInt32($0) }
        guard numbers.count == 2, numbers[0] <= numbers[1] else { return nil }
        return numbers[0]...numbers[1]
    }

    private static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
