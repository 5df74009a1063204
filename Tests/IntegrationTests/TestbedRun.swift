/// One run of the portgrid binary: how it ended, what it printed, how long it took.
struct TestbedRun: Sendable {
    var output: CommandOutput

    var status: Int32 { output.status }
    var stdout: String { output.stdout }
    var stderr: String { output.stderr }
    var elapsed: Duration { output.elapsed }

    /// The JSON report the run printed on stdout (`-oJ -`).
    func report() throws(TestbedError) -> TestbedReport {
        try TestbedReport.parse(output.stdout)
    }

    /// For test logs: the command, status, time and the end of stderr.
    var summary: String {
        "\(output.argv.joined(separator: " ")) -> exit \(status) in \(elapsed): \(TestbedError.tail(stderr, limit: 600))"
    }
}
