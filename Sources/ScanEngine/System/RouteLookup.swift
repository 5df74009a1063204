/// Asks the kernel (rtnetlink RTM_GETROUTE) how it would send to one IPv4 address: the kind of
/// route, the interface, the gateway. It is the very lookup a raw socket's sendto makes (no source
/// address, the `-e` interface as the output one), made once per target instead of once per probe
/// (`EthernetNextHops` keeps the answers). The request and reply are written and read field by
/// field; `RouteReply` is the pure reader.
final class RouteLookup {
    private let descriptor: CInt
    private var sequence: UInt32 = 0
    private var buffer = [UInt8](repeating: 0, count: 8192)

    init() throws(Errno) {
        descriptor = try RawSyscalls.netlinkRouteSocket()
    }

    deinit { RawSyscalls.closeQuietly(descriptor) }

    /// The route to `destination` (through `interfaceIndex` alone with `-e`), nil when the kernel
    /// has none (it answers with an error: no route, unreachable).
    func route(to destination: UInt32, interfaceIndex: CInt?) throws(Errno) -> RouteReply? {
        sequence &+= 1
        let request = RouteReply.request(destination: destination, interfaceIndex: interfaceIndex, sequence: sequence)
        // Array.withUnsafeBytes only rethrows untyped errors: carry the Errno out by hand.
        let sendFailure: Errno? = request.withUnsafeBytes { bytes in
            do throws(Errno) { try RawSyscalls.sendToKernel(descriptor, bytes) } catch { return error }
            return nil
        }
        if let sendFailure { throw sendFailure }
        // One request, one answer (the reply or an error message) with our sequence number;
        // anything else on the socket is skipped.
        // The kernel answers before sendto returns, so the reply is already queued.
        for _ in 0..<8 {
            let received: Result<Int?, Errno> = buffer.withUnsafeMutableBytes { raw in
                Result { () throws(Errno) -> Int? in try RawSyscalls.receive(descriptor, into: raw) }
            }
            guard let length = try received.get() else { return nil }
            switch RouteReply.parse(buffer[..<min(length, buffer.count)], sequence: sequence) {
            case .route(let route): return route
            case .failed: return nil
            case .other: continue
            }
        }
        return nil
    }

}

/// What rtnetlink said about one route, read from its RTM_NEWROUTE reply.
struct RouteReply: Equatable, Sendable {
    /// RTN_UNICAST: an ordinary route. Local, broadcast, blackhole and the like are not sent as
    /// frames (their packets never leave by an Ethernet port, or not as a frame to one neighbour).
    var isUnicast: Bool
    var interfaceIndex: CInt?
    var gateway: UInt32?

    // Numbers from <linux/netlink.h> and <linux/rtnetlink.h>.
    static let newRoute: UInt16 = 24, getRoute: UInt16 = 26, error: UInt16 = 2
    static let flagRequest: UInt16 = 1
    static let unicast: UInt8 = 1
    static let attributeDestination: UInt16 = 1, attributeOutput: UInt16 = 4, attributeGateway: UInt16 = 5

    /// nlmsghdr, rtmsg (AF_INET, a /32 destination), RTA_DST and, with `-e`, RTA_OIF.
    static func request(destination: UInt32, interfaceIndex: CInt?, sequence: UInt32) -> [UInt8] {
        var bytes: [UInt8] = []
        let length = 16 + 12 + 8 + (interfaceIndex == nil ? 0 : 8)
        put32(UInt32(length), &bytes)
        put16(getRoute, &bytes)
        put16(flagRequest, &bytes)
        put32(sequence, &bytes)
        put32(0, &bytes)
        bytes += [2 /* AF_INET */, 32, 0, 0, 0, 0, 0, 0]
        put32(0, &bytes)
        put16(8, &bytes)
        put16(attributeDestination, &bytes)
        bytes += [UInt8(destination >> 24), UInt8(truncatingIfNeeded: destination >> 16),
                  UInt8(truncatingIfNeeded: destination >> 8), UInt8(truncatingIfNeeded: destination)]
        if let interfaceIndex {
            put16(8, &bytes)
            put16(attributeOutput, &bytes)
            put32(UInt32(bitPattern: interfaceIndex), &bytes)
        }
        return bytes
    }

    enum Answer: Equatable {
        case route(RouteReply)
        /// NLMSG_ERROR with a nonzero code: no route.
        case failed
        /// Not the answer to our request.
        case other
    }

    /// Reads the first message of a reply datagram (host byte order, as netlink is).
    static func parse(_ bytes: ArraySlice<UInt8>, sequence: UInt32) -> Answer {
        let base = bytes.startIndex
        guard bytes.count >= 16 else { return .other }
        let length = Int(load32(bytes, base))
        let type = load16(bytes, base + 4)
        guard load32(bytes, base + 8) == sequence, length >= 16, length <= bytes.count else { return .other }
        if type == error { return .failed }
        guard type == newRoute, length >= 28 else { return .other }
        let message = base + 16
        var reply = RouteReply(isUnicast: bytes[message + 7] == unicast)
        var offset = message + 12
        let end = base + length
        while offset + 4 <= end {
            let attributeLength = Int(load16(bytes, offset))
            let attributeType = load16(bytes, offset + 2) & 0x3FFF
            guard attributeLength >= 4, offset + attributeLength <= end else { break }
            let value = offset + 4
            switch attributeType {
            case attributeGateway where attributeLength >= 8:
                reply.gateway = UInt32(bytes[value]) << 24 | UInt32(bytes[value + 1]) << 16
                    | UInt32(bytes[value + 2]) << 8 | UInt32(bytes[value + 3])
            case attributeOutput where attributeLength >= 8:
                reply.interfaceIndex = CInt(bitPattern: load32(bytes, value))
            default:
                break
            }
            offset += (attributeLength + 3) & ~3
        }
        return .route(reply)
    }

    private static func put16(_ value: UInt16, _ bytes: inout [UInt8]) {
        withUnsafeBytes(of: value) { bytes += $0 }
    }

    private static func put32(_ value: UInt32, _ bytes: inout [UInt8]) {
        withUnsafeBytes(of: value) { bytes += $0 }
    }

    private static func load16(_ bytes: ArraySlice<UInt8>, _ at: Int) -> UInt16 {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at - bytes.startIndex, as: UInt16.self) }
    }

    private static func load32(_ bytes: ArraySlice<UInt8>, _ at: Int) -> UInt32 {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at - bytes.startIndex, as: UInt32.self) }
    }
}
