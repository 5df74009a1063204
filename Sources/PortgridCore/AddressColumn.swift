/// Addresses in order, kept as their 4 bytes while every one is IPv4 (an `IPAddress` takes 24 in an
/// array). What a pass's end hands on at once (a dead /16's 65,536 hosts down, or its silent ports)
/// waits in the stream for the consumer, so those batches keep their addresses this way.
public struct AddressColumn: RandomAccessCollection, Hashable, Sendable {
    /// Every address, while all are IPv4; else empty.
    private var ipv4: [UInt32] = []
    /// Every address, once one is IPv6; else empty.
    private var mixed: [IPAddress] = []

    public init() {}

    public init(_ addresses: some Sequence<IPAddress>) {
        ipv4.reserveCapacity(addresses.underestimatedCount)
        for address in addresses { append(address) }
    }

    public mutating func append(_ address: IPAddress) {
        if mixed.isEmpty {
            if case .v4(let v4) = address {
                ipv4.append(v4.value)
                return
            }
            // The first IPv6 address: the column becomes a plain list.
            mixed = ipv4.map { .v4(IPv4Address($0)) }
            ipv4 = []
        }
        mixed.append(address)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ipv4.count + mixed.count }

    public subscript(position: Int) -> IPAddress {
        mixed.isEmpty ? .v4(IPv4Address(ipv4[position])) : mixed[position]
    }
}
