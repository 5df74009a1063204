import PortgridCore

/// Turns the engine's decisions into scan events: port results for a port scan; hosts up and down
/// for discovery (which also returns the hosts found up).
struct RawOutcomeReporter {
    let sink: EventSink
    let job: RawJob
    let hostnames: [IPAddress: String]
    let reportDown: Bool
    /// The ping sweep is the scan itself, so each host counts toward progress.
    let countsHosts: Bool
    /// By host index: found up. A flag a host, not a set: a /16's set of 65,536 indices held 1 MB.
    private(set) var isUp: [Bool]
    /// Answered ports not yet handed to the sink: one lock per received batch, not per port.
    private var answered: [PortResult] = []

    init(sink: EventSink, job: RawJob, hostnames: [IPAddress: String] = [:], reportDown: Bool = true,
         countsHosts: Bool = false) {
        self.sink = sink
        self.job = job
        self.hostnames = hostnames
        self.reportDown = reportDown
        self.countsHosts = countsHosts
        isUp = [Bool](repeating: false, count: job.hostCount)
    }

    /// The hosts found up, by index.
    var upHosts: Set<Int> { Set(isUp.indices.filter { isUp[$0] }) }

    private func address(_ host: Int) -> IPAddress { job.address(host) }

    /// Held until `flush()`, which the engine calls before it sends any other event.
    mutating func portAnswered(_ answer: PortAnswer, rtt: Duration?) {
        guard case .ports(let technique) = job.kind else { return }
        answered.append(PortResult(host: address(answer.host), proto: technique.transport, port: job.ports[answer.item],
                                   state: answer.state, reason: answer.reason, technique: technique, rtt: rtt,
                                   replyTTL: answer.ttl))
    }

    /// Hands the answered ports held so far to the sink.
    mutating func flush() {
        guard !answered.isEmpty else { return }
        sink.results(answered)
        answered.removeAll(keepingCapacity: true)
    }

    mutating func portsSilent(host: Int, items: [Int]) {
        guard case .ports(let technique) = job.kind else { return }
        flush()
        let state = technique.silentState
        let job = job, address = address(host)
        // Made as the sink takes them, a batch at a time: never all at once.
        sink.results(items.lazy.map { item in
            PortResult(host: address, proto: technique.transport, port: job.ports[item],
                       state: state, reason: .noResponse, technique: technique)
        })
    }

    mutating func hostUp(_ answer: HostAnswer, rtt: Duration?) {
        guard isUp.indices.contains(answer.host), !isUp[answer.host] else { return }
        isUp[answer.host] = true
        flush()
        let host = address(answer.host)
        sink.hostUp(HostResult(address: host, hostname: hostnames[host], status: .up, reason: answer.reason,
                               rtt: rtt, replyTTL: answer.ttl))
        if countsHosts { sink.completed(1) }
    }

    mutating func hostDown(_ host: Int) {
        flush()
        // Batched by the sink; a name the user typed reached the consumers with the plan.
        if reportDown { sink.hostDown(address(host)) }
        if countsHosts { sink.completed(1) }
    }
}
