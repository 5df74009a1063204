import HeapModule

/// One (host, port) probe and which try it is (0 = first send).
struct Probe: Hashable, Sendable {
    var host: Int
    var port: UInt16
    var attempt: Int
    /// The try before this one was given up before the full timeout (a retransmission sent on the
    /// measured round trip): an answer to this try then proves no loss, the earlier one may only
    /// have been slow.
    var followsEarlyTimeout = false
}

/// A connect in flight: its socket, when it went out, and when it is given up on.
struct InFlightProbe: Hashable, Sendable {
    var probe: Probe
    var socket: SocketDescriptor
    var sentAt: ScanMoment
    var deadline: ScanMoment
    /// Sent as the port's last try: its deadline is the full timeout a verdict needs, where an
    /// earlier try's deadline only says when to retransmit.
    var isLastTry: Bool
    /// Tells this use of a descriptor from an earlier one, so a deadline left behind by a probe
    /// that is gone never expires the probe now on the same socket.
    var serial: UInt32

    /// The word epoll hands back with the descriptor's events: the descriptor alone. A socket is
    /// watched edge-triggered from its first connect to its close, so the word cannot change
    /// between uses; and epoll reports a socket's state as it is when read, which is always the
    /// state of the probe the table holds for it.
    var token: UInt64 { Self.token(socket) }

    static func token(_ socket: SocketDescriptor) -> UInt64 { UInt64(UInt32(bitPattern: socket.rawValue)) }

    /// The socket a token names (the inverse of `token(_:)`).
    static func socket(token: UInt64) -> SocketDescriptor {
        SocketDescriptor(rawValue: Int32(bitPattern: UInt32(truncatingIfNeeded: token)))
    }
}

/// The connects in flight, found by descriptor (epoll's answer) or by deadline (timeouts).
/// Descriptor numbers are small and dense, so a flat array indexed by them beats a hash table; the
/// deadline heap is cleaned lazily: an entry whose slot moved on is skipped when it surfaces.
struct ProbeTable {
    private struct Deadline: Comparable {
        var at: ScanMoment
        var descriptor: CInt
        var serial: UInt32

        static func < (a: Self, b: Self) -> Bool { a.at < b.at }
    }

    private var slots: [InFlightProbe?] = []
    private var deadlines = Heap<Deadline>()
    private var nextSerial: UInt32 = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Records a connect just started.
    mutating func insert(_ probe: Probe, socket: SocketDescriptor, sentAt: ScanMoment,
                         deadline: ScanMoment, isLastTry: Bool = true) -> InFlightProbe {
        nextSerial &+= 1
        let entry = InFlightProbe(probe: probe, socket: socket, sentAt: sentAt, deadline: deadline,
                                  isLastTry: isLastTry, serial: nextSerial)
        let index = Int(socket.rawValue)
        if index >= slots.count {
            slots.append(contentsOf: repeatElement(nil, count: Swift.max(index + 1 - slots.count, 1024)))
        }
        precondition(slots[index] == nil, "descriptor \(index) is already in flight")
        slots[index] = entry
        deadlines.insert(Deadline(at: deadline, descriptor: socket.rawValue, serial: nextSerial))
        count += 1
        return entry
    }

    /// The probe an epoll token names, taken out of the table; nil when its socket has none in
    /// flight (an answer already read, or a socket waiting to be reused).
    mutating func remove(token: UInt64) -> InFlightProbe? {
        let index = Int(InFlightProbe.socket(token: token).rawValue)
        guard index >= 0, index < slots.count, let entry = slots[index] else { return nil }
        slots[index] = nil
        count -= 1
        return entry
    }

    /// The earliest deadline that may still be live (a stale one only means an early wake-up).
    var nextDeadline: ScanMoment? { deadlines.min?.at }

    /// Takes out the next probe whose deadline has passed.
    mutating func popExpired(now: ScanMoment) -> InFlightProbe? {
        while let first = deadlines.min, first.at <= now {
            deadlines.removeMin()
            if let entry = take(first.descriptor, serial: first.serial) { return entry }
        }
        return nil
    }

    /// Puts back a probe just taken out as expired, as its last try with a later deadline.
    mutating func reschedule(_ entry: InFlightProbe, deadline: ScanMoment) {
        var entry = entry
        entry.deadline = deadline
        entry.isLastTry = true
        let index = Int(entry.socket.rawValue)
        precondition(index < slots.count && slots[index] == nil, "descriptor \(index) is already in flight")
        slots[index] = entry
        deadlines.insert(Deadline(at: deadline, descriptor: entry.socket.rawValue, serial: entry.serial))
        count += 1
    }

    /// Brings forward the deadlines `deadline` computes for the probes matching `predicate`
    /// (a host's first round trip has just shown its initial timeout to be far too long). A
    /// deadline is only ever moved earlier: the old heap entry then surfaces stale and is skipped.
    mutating func tighten(where predicate: (InFlightProbe) -> Bool, deadline: (InFlightProbe) -> ScanMoment) {
        for index in slots.indices {
            guard let entry = slots[index], predicate(entry) else { continue }
            let earlier = deadline(entry)
            guard earlier < entry.deadline else { continue }
            slots[index]?.deadline = earlier
            deadlines.insert(Deadline(at: earlier, descriptor: entry.socket.rawValue, serial: entry.serial))
        }
    }

    /// Takes out every probe matching `predicate` (a host given up on).
    mutating func removeAll(where predicate: (InFlightProbe) -> Bool) -> [InFlightProbe] {
        var removed: [InFlightProbe] = []
        for index in slots.indices {
            if let entry = slots[index], predicate(entry) {
                slots[index] = nil
                removed.append(entry)
            }
        }
        count -= removed.count
        return removed
    }

    private mutating func take(_ descriptor: CInt, serial: UInt32) -> InFlightProbe? {
        let index = Int(descriptor)
        guard index < slots.count, let entry = slots[index], entry.serial == serial else { return nil }
        slots[index] = nil
        count -= 1
        return entry
    }
}
