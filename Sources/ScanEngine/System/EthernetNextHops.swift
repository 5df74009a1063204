/// Where an IPv4 probe goes as an Ethernet frame: the interface and the next hop's MAC (the
/// gateway's, or the target's own on a directly attached link), as the kernel's routes and
/// neighbour table say. nil means "send it as an IP packet": the kernel then routes it and, for a
/// neighbour it does not know yet, resolves it (ARP), which is how a frame's MAC becomes known for
/// the probes after it. Asked per probe, so the answers are kept: the route per target (looked up
/// as a raw socket's sendto would, once instead of per probe), and a copy of the neighbour table,
/// read again at most every `rereadInterval` while a next hop is missing from it. The I/O is the
/// `Source`'s.
struct EthernetNextHops {
    /// What the kernel knows, asked through these (live: rtnetlink and /proc/net/arp).
    struct Source {
        var route: (UInt32) -> RouteReply?
        var neighbours: () -> [UInt64: LinkAddress]
        /// Interface index -> the interface carries Ethernet frames (ARPHRD_ETHER).
        var isEthernet: (CInt) -> Bool
        var now: () -> ContinuousClock.Instant
    }

    struct Hop: Equatable {
        var interfaceIndex: CInt
        var mac: LinkAddress
    }

    private let source: Source
    /// Per target: its route, or nil when the kernel has none (kept too: asked once).
    private var routes: [UInt32: RouteReply?] = [:]
    private var neighbours: [UInt64: LinkAddress] = [:]
    private var ethernet: [CInt: Bool] = [:]
    private var lastRead: ContinuousClock.Instant?
    /// The last answer found: a port scan asks about one target thousands of times in a row.
    private var last: (destination: UInt32, hop: Hop)?

    /// How stale the copy of the neighbour table may be while some next hop is missing from it.
    static let rereadInterval: Duration = .milliseconds(10)
    /// Targets whose routes are kept at most. A lookup costs about what the kernel's own per-probe
    /// route lookup does, so it pays for targets probed many times (a port scan of a few hosts),
    /// not for a sweep of a /16 probed once each: targets past this many go as IP packets.
    static let routeLimit = 256

    init(source: Source) { self.source = source }

    static func key(address: UInt32, interface: CInt) -> UInt64 {
        UInt64(UInt32(bitPattern: interface)) << 32 | UInt64(address)
    }

    /// The frame's interface and destination MAC for a probe to `destination`, or nil for the IP path.
    mutating func hop(for destination: UInt32) -> Hop? {
        if let last, last.destination == destination { return last.hop }
        let hop = lookUp(destination)
        if let hop { last = (destination, hop) }
        return hop
    }

    private mutating func lookUp(_ destination: UInt32) -> Hop? {
        guard let route = route(to: destination), route.isUnicast,
              let interface = route.interfaceIndex, isEthernet(interface) else { return nil }
        let key = Self.key(address: route.gateway ?? destination, interface: interface)
        if let mac = neighbours[key] { return Hop(interfaceIndex: interface, mac: mac) }
        let now = source.now()
        if let lastRead, now - lastRead < Self.rereadInterval { return nil }
        lastRead = now
        neighbours = source.neighbours()
        return neighbours[key].map { Hop(interfaceIndex: interface, mac: $0) }
    }

    private mutating func route(to destination: UInt32) -> RouteReply? {
        if let known = routes[destination] { return known }
        guard routes.count < Self.routeLimit else { return nil }
        let found = source.route(destination)
        routes[destination] = .some(found)
        return found
    }

    private mutating func isEthernet(_ interface: CInt) -> Bool {
        if let known = ethernet[interface] { return known }
        let answer = source.isEthernet(interface)
        ethernet[interface] = answer
        return answer
    }
}

extension EthernetNextHops.Source {
    /// The kernel's answers: rtnetlink routes (through `interface` alone with `-e`), the
    /// /proc/net/arp table, /sys/class/net/NAME/type.
    static func live(_ interface: NetworkInterface?) throws(Errno) -> Self {
        let lookup = try RouteLookup()
        return Self(
            route: { destination in try? lookup.route(to: destination, interfaceIndex: interface?.index) },
            neighbours: {
                guard let table = NeighborTable.read() else { return [:] }
                return NeighborTable.linkAddresses(table) { NetworkInterface(named: String($0))?.index }
            },
            isEthernet: { RawSyscalls.hardwareType(ofInterface: $0) == 1 },
            now: { .now })
    }
}
