/// ICMPv4 destination-unreachable codes (RFC 792, 1122, 1812). A scanner maps these to port
/// states: 3 (port) means closed for UDP; 1, 2, 9, 10, 13 mean filtered.
public enum UnreachableCode: UInt8, Sendable, Hashable, CaseIterable {
    case networkUnreachable = 0
    case hostUnreachable = 1
    case protocolUnreachable = 2
    case portUnreachable = 3
    case fragmentationNeeded = 4
    case sourceRouteFailed = 5
    case destinationNetworkUnknown = 6
    case destinationHostUnknown = 7
    case sourceHostIsolated = 8
    case networkAdministrativelyProhibited = 9
    case hostAdministrativelyProhibited = 10
    case networkUnreachableForTOS = 11
    case hostUnreachableForTOS = 12
    case communicationAdministrativelyProhibited = 13
    case hostPrecedenceViolation = 14
    case precedenceCutoffInEffect = 15
}

/// ICMPv4 time-exceeded codes (RFC 792).
public enum TimeExceededCode: UInt8, Sendable, Hashable, CaseIterable {
    case ttlExceededInTransit = 0
    case fragmentReassemblyTimeExceeded = 1
}

/// ICMPv6 destination-unreachable codes (RFC 4443; code 7 from RFC 6554).
public enum ICMPv6UnreachableCode: UInt8, Sendable, Hashable, CaseIterable {
    case noRouteToDestination = 0
    case administrativelyProhibited = 1
    case beyondScopeOfSourceAddress = 2
    case addressUnreachable = 3
    case portUnreachable = 4
    case sourceAddressFailedPolicy = 5
    case rejectRouteToDestination = 6
    case errorInSourceRoutingHeader = 7
}
