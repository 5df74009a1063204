import PortgridCore

/// What one finished connect attempt says about its port.
enum ConnectVerdict: Hashable, Sendable {
    /// A final state: the target (or a router on the way) answered.
    case answered(PortState, Reason)
    /// Nothing came back in time: the probe may be retried.
    case silent
    /// This machine ran short of something (ports, descriptors, buffers): not the target's answer;
    /// try the same probe again later without counting it as a retry.
    case localShortage

    /// Reads a connect's outcome. `error` is SO_ERROR (nil when the connect succeeded); `icmp` is
    /// the error-queue report, when one was queued. The ICMP report wins over errno: Linux folds
    /// ICMP port-unreachable into ECONNREFUSED, the same errno as a RST, so trusting errno alone
    /// would call a firewalled port "closed".
    static func classify(error: Errno?, icmp: ICMPReport?) -> ConnectVerdict {
        if let icmp { return .answered(.filtered, reason(for: icmp)) }
        guard let error else { return .answered(.open, .synAck) }
        switch error {
        case .connectionRefused: return .answered(.closed, .connRefused)
        case .connectionReset: return .answered(.closed, .reset)
        case .networkUnreachable, .networkDown: return .answered(.filtered, .netUnreach)
        case .hostUnreachable, .hostDown, .notOnNetwork: return .answered(.filtered, .hostUnreach)
        case .protocolOptionUnavailable: return .answered(.filtered, .protoUnreach)
        // A local firewall rule (iptables/nftables OUTPUT reject) refuses the connect itself.
        case .accessDenied, .notPermitted: return .answered(.filtered, .adminProhibited)
        case .timedOut: return .silent
        default: return error.isLocalShortage ? .localShortage : .answered(.filtered, .unknownResponse)
        }
    }

    /// Any ICMP error for a TCP probe means something in the path refused it: filtered, as nmap
    /// says, with the ICMP code naming why.
    static func reason(for icmp: ICMPReport) -> Reason {
        switch icmp.family {
        case .icmp:
            switch icmp.type {
            case 3: return Reason.unreachable(code: icmp.code)
            case 11: return .timeExceeded
            default: return .unknownResponse
            }
        case .icmp6:
            switch icmp.type {
            case 1: return Reason.unreachableV6(code: icmp.code)
            case 3: return .timeExceeded
            default: return .unknownResponse
            }
        }
    }
}
