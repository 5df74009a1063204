import PortgridCore
import ScanEngine

/// Starts and stops engine scans for the loop. A replaced scan is only told to stop (never cut
/// off from its stream), so the results it found before stopping still reach the store.
final class ScanDriver {
    private var control: ScanControl?
    private var forwarders: [Task<Void, Never>] = []
    private let send: @Sendable (Action) -> Void

    init(send: @escaping @Sendable (Action) -> Void) {
        self.send = send
    }

    func start(id: Int, _ request: ScanRequest) {
        let control = ScanControl(timing: request.timing)
        self.control = control
        let events = Scanner().run(request, control: control)
        let send = self.send
        forwarders.removeAll { $0.isCancelled }
        forwarders.append(Task {
            for await event in events { send(.scan(id: id, event)) }
        })
    }

    func cancel() { control?.cancel() }

    func perform(_ effect: Effect) {
        switch effect {
        case .startScan(let id, let request): start(id: id, request)
        case .cancelScan: cancel()
        case .setTiming(let timing): control?.setTiming(timing)
        case .setMaxRate(let rate): control?.setMaxRate(rate)
        case .setPaused(let paused): control?.setPaused(paused)
        case .export, .quit, .probeServices, .stopServiceProbes: break
        }
    }
}
