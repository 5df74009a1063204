/// Probe payloads for well-known UDP services. Most UDP services stay silent on an empty
/// datagram, so a UDP scan could only say "open|filtered"; a request the service understands
/// draws an answer and turns that into "open". Where nothing is known the payload is empty.
///
/// Every payload is a fixed, deterministic byte string (same bytes every scan), written here
/// from the protocols' specifications.
public enum UDPPayloads {
    /// The payload to send to `port`, or an empty array when no protocol is known there.
    public static func payload(forPort port: UInt16) -> [UInt8] {
        payloads(forPort: port).first ?? []
    }

    /// Every payload known for `port`, best first (SNMP gets v1 then v2c). Empty when none.
    public static func payloads(forPort port: UInt16) -> [[UInt8]] {
        switch port {
        case 53: [dnsVersionBind, dnsRootNS]
        case 69: [tftpReadRequest]
        case 111: [portmapperNull]
        case 123: [ntpClientRequest]
        case 137: [netbiosNodeStatus]
        case 161: [snmpV1GetSysDescr, snmpV2cGetSysDescr]
        case 500: [ikeMainModeProposal]
        case 520: [ripRequest]
        case 623: [ipmiPresencePing]
        case 1194: [openVPNHardReset]
        case 1434: [mssqlPing]
        case 1900: [ssdpSearch]
        case 2049: [nfsNull]
        case 3478: [stunBindingRequest]
        case 5060: [sipOptions]
        case 5351: [natPMPExternalAddress]
        case 5353: [mdnsServicesQuery]
        case 5683: [coapWellKnownCore]
        case 11211: [memcachedStats]
        default: []
        }
    }

    /// The ports `payload(forPort:)` has something for, ascending.
    public static let knownPorts: [UInt16] = [
        53, 69, 111, 123, 137, 161, 500, 520, 623, 1194, 1434, 1900, 2049, 3478, 5060, 5351,
        5353, 5683, 11211,
    ]

    /// Transaction/request identifier shared by the payloads that carry one ("PG").
    static let requestID: UInt16 = 0x5047
}
