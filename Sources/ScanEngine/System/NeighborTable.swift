import FoundationEssentials
import PortgridCore

/// The kernel's IPv4 neighbour (ARP) table, read after the probes: the link-layer address of every
/// scanned host on the scanner's own link, which nmap reports as "MAC Address". Only complete
/// entries count; a host behind a router never appears (its packets went to the router's address).
enum NeighborTable {
    static let path = "/proc/net/arp"

    /// Addresses of `hosts` found in the table, as nmap spells them (upper-case hex, colons).
    static func addresses(of hosts: some Collection<IPAddress>, table: String? = read()) -> [IPAddress: String] {
        guard let table, !hosts.isEmpty else { return [:] }
        // Keyed by the table's few entries, not by the hosts: a set of a /16's 65,536 addresses
        // held 4 MB at the sweep's end. A later row of an address wins, as the table reads.
        var entries: [IPAddress: String] = [:]
        for entry in parse(table) { entries[entry.address] = entry.mac }
        guard !entries.isEmpty else { return [:] }
        var found: [IPAddress: String] = [:]
        for host in hosts where found.count < entries.count {
            if let mac = entries[host] { found[host] = mac }
        }
        return found
    }

    /// `IP address  HW type  Flags  HW address  Mask  Device` rows; flag 0x2 marks a complete entry.
    static func parse(_ table: String) -> [(address: IPAddress, mac: String)] {
        table.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 4, let address = IPAddress(String(fields[0])),
                  let flags = Int(fields[2].dropFirst(2), radix: 16), flags & 0x2 != 0 else { return nil }
            let mac = fields[3].uppercased()
            guard mac.count == 17, mac != "00:00:00:00:00:00" else { return nil }
            return (address, mac)
        }
    }

    /// The complete entries with their interface: what the Ethernet send path addresses frames
    /// to. Keyed by `EthernetNextHops.key(address:interface:)`; an entry of an interface that is
    /// gone, or whose address is no unicast MAC (a NOARP device's zeros), is left out.
    static func linkAddresses(_ table: String, interfaceIndex: (Substring) -> CInt?) -> [UInt64: LinkAddress] {
        var found: [UInt64: LinkAddress] = [:]
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 6, let address = IPv4Address(String(fields[0])),
                  let flags = Int(fields[2].dropFirst(2), radix: 16), flags & 0x2 != 0,
                  let mac = LinkAddress(fields[3]), mac.isUsableUnicast,
                  let index = interfaceIndex(fields[5]) else { continue }
            found[EthernetNextHops.key(address: address.value, interface: index)] = mac
        }
        return found
    }

    static func read() -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
