import PortgridCore

/// One row per listed port (`-oC`), RFC 4180 quoting, LF line ends, sorted host (numeric),
/// protocol, port. It is row data only: ports folded into nmap's "Not shown" counts and the
/// interrupted flag are not rows, so they live in the JSON and XML, which carry both.
/// `rtt_ms` is the round trip of the probe that decided the row, empty when none was answered.
struct CSVReport: ReportWriter {
    static let header = "host,hostname,protocol,port,state,reason,service,technique,rtt_ms"

    var report: ReportTotals
    var context: ReportContext {
        didSet { services = ServiceLabel(services: context.services, detected: context.detected) }
    }
    private(set) var services: ServiceLabel
    let order = HostOrder.address

    init(_ report: ReportTotals, context: ReportContext) {
        self.report = report
        self.context = context
        services = ServiceLabel(services: context.services, detected: context.detected)
    }

    func header(_ out: ReportSink) {
        out.line(Self.header + (services.detected.isOn ? DetectedServiceText.csvHeader : ""))
    }

    func host(_ host: HostReport, _ out: ReportSink) {
        for result in host.listed {
            let fields = [
                "\(host.address)", host.displayName ?? "", result.proto.rawValue, "\(result.port)",
                result.state.rawValue, result.reason.rawValue, services.name(result) ?? "",
                result.technique.rawValue, result.rtt.map(NumberText.milliseconds) ?? "",
            ] + services.detected.csvFields(result)
            out.line(fields.map(Escape.csv).joined(separator: ","))
        }
    }

    func footer(_ out: ReportSink) {}
}
