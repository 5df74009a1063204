import PortgridCore

/// Carries out the reducer's detection effects on the command's prober; identities come back as
/// actions through `send`, into the loop's one stream.
final class DetectionDriver {
    private let detection: (any LiveServiceDetection)?

    init(_ detection: (any LiveServiceDetection)?, send: @escaping @Sendable (Action) -> Void) {
        self.detection = detection
        detection?.report { key, identity in send(.detected(key, identity)) }
    }

    func perform(_ effect: Effect) {
        switch effect {
        case .probeServices(let orders):
            for order in orders { detection?.probe(order.key, rtt: order.rtt) }
        case .stopServiceProbes:
            detection?.stop()
        default:
            break
        }
    }
}
