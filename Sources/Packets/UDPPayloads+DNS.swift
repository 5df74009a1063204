/// DNS-shaped payloads: unicast DNS (RFC 1035), multicast DNS (RFC 6762) and NetBIOS name
/// service (RFC 1002), which reuses the DNS message header.
extension UDPPayloads {
    /// 53: "version.bind" TXT in class CHAOS. BIND, Unbound, dnsmasq, Knot and PowerDNS all
    /// answer (even a REFUSED is an answer, and proves the port open). Recursion not desired.
    public static let dnsVersionBind: [UInt8] = dnsQuery(
        id: requestID, flags: 0x0000, labels: ["version", "bind"], type: 16, class: 3)

    /// 53: the root zone's NS set, class IN, recursion not desired: any DNS server can answer it.
    public static let dnsRootNS: [UInt8] = dnsQuery(
        id: requestID, flags: 0x0000, labels: [], type: 2, class: 1)

    /// 5353: PTR query for "_services._dns-sd._udp.local" (DNS-SD service enumeration). Sent from
    /// a port other than 5353 it is a "legacy unicast" query, answered to the sender (RFC 6762 §6.7).
    public static let mdnsServicesQuery: [UInt8] = dnsQuery(
        id: 0, flags: 0x0000, labels: ["_services", "_dns-sd", "_udp", "local"], type: 12, class: 1)

    /// 137: NetBIOS node status (NBSTAT) request for the wildcard name "*", which every NetBIOS
    /// node answers with its name table.
    public static let netbiosNodeStatus: [UInt8] = {
        var bytes = dnsHeader(id: requestID, flags: 0x0000)
        bytes.append(32)  // an encoded NetBIOS name is always 32 bytes
        bytes.append(contentsOf: netbiosEncode(name: [UInt8(ascii: "*")]))
        bytes.append(0)
        bytes.appendBigEndian(UInt16(0x21))  // NBSTAT
        bytes.appendBigEndian(UInt16(1))  // IN
        return bytes
    }()

    /// A 12-byte DNS header with one question and no records.
    static func dnsHeader(id: UInt16, flags: UInt16) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.appendBigEndian(id)
        bytes.appendBigEndian(flags)
        bytes.appendBigEndian(UInt16(1))  // QDCOUNT
        bytes.appendBigEndian(UInt16(0))  // ANCOUNT
        bytes.appendBigEndian(UInt16(0))  // NSCOUNT
        bytes.appendBigEndian(UInt16(0))  // ARCOUNT
        return bytes
    }

    /// A single-question query. Labels are ASCII and under 64 bytes (they are all literals here).
    static func dnsQuery(id: UInt16, flags: UInt16, labels: [String], type: UInt16, class qclass: UInt16) -> [UInt8] {
        var bytes = dnsHeader(id: id, flags: flags)
        for label in labels {
            bytes.append(UInt8(truncatingIfNeeded: label.utf8.count))
            bytes.append(contentsOf: label.utf8)
        }
        bytes.append(0)  // the root label ends every name
        bytes.appendBigEndian(type)
        bytes.appendBigEndian(qclass)
        return bytes
    }

    /// RFC 1001 §14.1 "first-level encoding": pad the name to 16 bytes with NULs (the wildcard
    /// is padded with NULs, not spaces), then write each nibble as 'A' + nibble.
    static func netbiosEncode(name: [UInt8]) -> [UInt8] {
        let padded = Array(name.prefix(16)) + Array(repeating: 0, count: max(16 - name.count, 0))
        return padded.flatMap { [UInt8(ascii: "A") + $0 >> 4, UInt8(ascii: "A") + $0 & 0x0F] }
    }
}
