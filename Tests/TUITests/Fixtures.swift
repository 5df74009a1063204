import PortgridCore
@testable import TUI

/// Builders for states and scan events, so each test reads as the story it tells.
enum Fixture {
    static let localhost = IPAddress("127.0.0.1")!

    static func address(_ text: String) -> IPAddress { IPAddress(text)! }

    static func request(targets: String = "127.0.0.1", ports: String = "1-1024",
                        technique: Technique = .connect) -> ScanRequest {
        ScanRequest(targets: try! TargetSet(parsing: [targets]), ports: try! PortList(parsing: ports),
                    technique: technique, seed: 42)
    }

    /// A state whose first scan has been started (scan id 1), at the given size.
    static func state(_ request: ScanRequest = request(), cols: Int = 80, rows: Int = 24) -> AppState {
        var state = AppState(request: request, size: ScreenSize(cols: cols, rows: rows))
        _ = Reducer.begin(&state)
        return state
    }

    static func plan(_ request: ScanRequest, hosts: [IPAddress]) -> ScanPlan {
        ScanPlan(technique: request.technique, hosts: HostList(hosts), ports: request.portSet, timing: request.timing)
    }

    static func result(_ host: IPAddress = localhost, _ port: UInt16, _ state: PortState,
                       technique: Technique = .connect, rtt: Duration? = .microseconds(60)) -> PortResult {
        let reason: Reason = switch state {
        case .open: .synAck
        case .closed: technique == .connect ? .connRefused : .reset
        case .unfiltered: .reset
        case .openFiltered, .filtered, .closedFiltered: .noResponse
        }
        return PortResult(host: host, proto: technique.transport, port: port, state: state, reason: reason,
                          technique: technique, rtt: state == .filtered ? nil : rtt)
    }

    static func up(_ host: IPAddress, rtt: Duration? = .microseconds(80)) -> ScanEvent {
        .host(HostResult(address: host, status: .up, reason: .userSet, rtt: rtt))
    }

    /// Sends events as scan `id` (default: the current scan).
    static func send(_ events: [ScanEvent], to state: inout AppState, id: Int? = nil) {
        for event in events { _ = Reducer.reduce(&state, .scan(id: id ?? state.scan.id, event)) }
    }

    static func press(_ keys: [Key], _ state: inout AppState) -> [Effect] {
        keys.flatMap { Reducer.reduce(&state, .key($0)) }
    }

    static func type(_ text: String, _ state: inout AppState) -> [Effect] {
        press(text.map { Key.char($0) }, &state)
    }

    /// A mid-scan picture: one host, 1-1024, a few open ports, most closed, the rest pending.
    static func midScan(cols: Int = 80, rows: Int = 24) -> AppState {
        let request = request()
        var state = state(request, cols: cols, rows: rows)
        var results: [PortResult] = []
        for port in UInt16(1)...700 {
            switch port {
            case 22, 80, 443, 631: results.append(result(localhost, port, .open))
            case 135...139: results.append(result(localhost, port, .filtered))
            default: results.append(result(localhost, port, .closed))
            }
        }
        send([up(localhost), .started(plan(request, hosts: [localhost])), .results(PortResults(results)),
              .progress(ScanProgress(completed: 700, total: 1024, probesSent: 712, rate: 14_250,
                                     elapsed: .milliseconds(4_900)))], to: &state)
        return state
    }
}
