import PortgridCore
import ScanEngine

/// FIREWALL/IDS EVASION AND SPOOFING flags -> `PacketOptions`: each value through one grammar and
/// range, checked before anything is sent (an unknown interface, an address of the wrong family).
extension EvasionOptions {
    static let ttlRange: ClosedRange<Int> = 0...255
    static let sourcePortRange: ClosedRange<Int> = 1...65_535

    /// `targets` and `ipv6Only` (`-6`) say what the targets are known to be before resolution.
    func packetOptions(targets: [TargetTerm], ipv6Only: Bool) throws(SpecError) -> PacketOptions {
        var options = PacketOptions()
        if let ttl { options.ttl = UInt8(try FlagNumber.integer(ttl, flag: "--ttl", range: Self.ttlRange)) }
        if let sourcePort {
            options.sourcePort = UInt16(try FlagNumber.integer(sourcePort, flag: "-g", range: Self.sourcePortRange))
        }
        options.badChecksum = badChecksum
        if let text = sourceAddress {
            guard let address = IPAddress(text) else {
                throw .invalidNumber(flag: "-S", value: text, expected: "give an IPv4 or IPv6 address of this host")
            }
            switch address {
            case .v4:
                if ipv6Only { throw .invalidNumber(flag: "-S", value: text, expected: "-6 scans IPv6: give an IPv6 address") }
                if let term = targets.first(where: \.isIPv6Literal) {
                    throw .invalidNumber(flag: "-S", value: text, expected: "an IPv4 source cannot reach the IPv6 target \(term)")
                }
            case .v6:
                if let term = targets.first(where: \.isIPv4) {
                    throw .invalidNumber(flag: "-S", value: text, expected: "an IPv6 source cannot reach the IPv4 target \(term)")
                }
            }
            options.sourceAddress = address
        }
        if let interface {
            guard NetworkInterface(named: interface) != nil else {
                throw .invalidNumber(flag: "-e", value: interface, expected: "this host has no interface by that name")
            }
            options.interface = interface
        }
        options.linkLayer = try linkLayer(targets: targets)
        return options
    }

    /// `--send-eth` / `--send-ip`. `--send-eth` is refused where no frame could leave: a loopback
    /// target (its packets never reach an Ethernet port) or an `-e` interface that is not Ethernet.
    private func linkLayer(targets: [TargetTerm]) throws(SpecError) -> LinkLayerChoice {
        if sendEthernet && sendIP { throw .incompatible(flag: "--send-eth", why: "--send-ip asks for the opposite") }
        if sendIP { return .ip }
        guard sendEthernet else { return .automatic }
        if let interface, !NetworkInterface.isEthernet(named: interface) {
            throw .incompatible(flag: "--send-eth", why: "interface \(interface) does not carry Ethernet frames")
        }
        if let term = targets.first(where: \.isLoopback) {
            throw .incompatible(flag: "--send-eth", why: "the loopback target \(term) is reached by no Ethernet frame")
        }
        return .ethernet
    }
}

extension TargetTerm {
    /// A literal loopback address or block, or the name `localhost`.
    var isLoopback: Bool {
        switch self {
        case .hostname(let name, _): name.lowercased() == "localhost"
        default: address(at: 0)?.isLoopback ?? false
        }
    }

    /// An IPv6 address or block, written as such.
    var isIPv6Literal: Bool {
        if case .ipv6Block = self { return true }
        return false
    }
}
