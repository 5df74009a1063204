import PortgridCore

/// What the connect scheduler keeps per target host: its latency estimate, what it has learned
/// about loss, and how much of it is done.
struct ConnectHost: Sendable {
    let address: IPAddress
    var rtt = RTTEstimator()
    var retries: RetryAllowance
    /// Ports with a final state reported.
    var reported = 0

    init(address: IPAddress, maxRetries: Int) {
        self.address = address
        retries = RetryAllowance(maxRetries: maxRetries)
    }
}
