import PortgridCore

/// nmap's XML (DTD `nmaprun`, xmloutputversion 1.05), element for element where we have the
/// data, so `ndiff` and python-libnmap read it as they read nmap's, it validates against nmap.dtd
/// (but for `scanner="portgrid"`), and nmap.xsl renders it. Down hosts are listed only with -v. An interrupted scan ends with
/// `<finished exit="error" errormsg="interrupted">`, as nmap's own aborted runs do. The scan request
/// rides in a comment (`JSONRequest.xmlComment`), so `portgrid merge` can read XML too.
struct XMLReport: ReportWriter {
    var report: ReportTotals
    var context: ReportContext {
        didSet { services = ServiceLabel(services: context.services, detected: context.detected) }
    }
    private(set) var services: ServiceLabel
    let order = HostOrder.nmap

    init(_ report: ReportTotals, context: ReportContext) {
        self.report = report
        self.context = context
        services = ServiceLabel(services: context.services, detected: context.detected)
    }

    func header(_ out: ReportSink) {
        let zone = context.timeZone
        let args = Escape.xml(context.nmapCommandLine)
        let start = TimeText.unix(context.start)
        // What the TUI changed after the start command: comments, where nmap's own readers look for nothing.
        let changes = context.changes.map { "<!-- changed in the TUI: \(Escape.xml($0)) -->\n" }.joined()
        // nmap writes the stylesheet line after the DOCTYPE, pointing at its installed nmap.xsl.
        let stylesheet = context.stylesheet.map { "<?xml-stylesheet href=\"\(Escape.xml($0))\" type=\"text/xsl\"?>\n" } ?? ""
        out.write("""
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE nmaprun>
        \(stylesheet)<!-- portgrid \(Escape.xml(context.version)) scan initiated \(TimeText.ctime(context.start, zone)) as: \(args) -->
        \(changes)<nmaprun scanner="portgrid" args="\(args)" start="\(start)" startstr="\(TimeText.ctime(context.start, zone))" \
        version="\(Escape.xml(context.version))" xmloutputversion="1.05">

        """)
        if let request = context.recordedRequest { out.write(JSONRequest.xmlComment(request) + "\n") }
        for plan in report.plans where plan.technique.scansPorts {
            out.write("<scaninfo type=\"\(plan.technique.nmapScanType)\" protocol=\"\(plan.technique.transport.rawValue)\" "
                + "numservices=\"\(plan.ports.count)\" services=\"\(plan.ports)\"/>\n")
        }
        out.write("<verbose level=\"\(context.verbosity)\"/>\n<debugging level=\"\(context.debugging)\"/>\n")
    }

    func host(_ host: HostReport, _ out: ReportSink) {
        // Down hosts only with -v, as nmap lists them.
        guard host.status != .down || context.verbosity > 0 else { return }
        Self.host(host, services: services, vendors: context.macVendors, to: out)
    }

    func footer(_ out: ReportSink) {
        let zone = context.timeZone
        let end = TimeText.unix(context.end)
        let endText = TimeText.ctime(context.end, zone)
        let summary = "portgrid done at \(endText); \(Summary.line(report, context: context))"
        out.write("<runstats><finished time=\"\(end)\" timestr=\"\(endText)\" summary=\"\(Escape.xml(summary))\" "
            + "elapsed=\"\(NumberText.elapsed(context.scanningSeconds))\" "
            + (report.interrupted ? "exit=\"error\" errormsg=\"interrupted\"/>" : "exit=\"success\"/>")
            + "<hosts up=\"\(report.allUpCount)\" down=\"\(report.downCount)\" total=\"\(report.addressCount)\"/>\n"
            + "</runstats>\n</nmaprun>\n")
    }

    /// One host's element, written piece by piece into `out`.
    static func host(_ host: HostReport, services: ServiceLabel, vendors: MACVendors, to out: ReportSink) {
        out.write("<host")
        if let start = host.scanStart, let end = host.scanEnd {
            out.write(" starttime=\"\(TimeText.unix(start))\" endtime=\"\(TimeText.unix(end))\"")
        }
        out.write("><status state=\"\(host.status.rawValue)\" reason=\"\(host.reason.rawValue)\" "
            + "reason_ttl=\"\(host.replyTTL ?? 0)\"/>\n")
        out.write("<address addr=\"\(host.address)\" addrtype=\"\(host.address.isIPv6 ? "ipv6" : "ipv4")\"/>\n")
        if let mac = host.mac {
            let vendor = vendors.vendor(of: mac).map { " vendor=\"\(Escape.xml($0))\"" } ?? ""
            out.write("<address addr=\"\(Escape.xml(mac))\" addrtype=\"mac\"\(vendor)/>\n")
        }
        // A down host is its status and address alone, as nmap writes it.
        guard host.status != .down else { return out.write("</host>\n") }
        out.write("<hostnames>\n")
        if let name = host.hostname { out.write("<hostname name=\"\(Escape.xml(name))\" type=\"user\"/>\n") }
        if let name = host.reverseName { out.write("<hostname name=\"\(Escape.xml(name))\" type=\"PTR\"/>\n") }
        out.write("</hostnames>\n")
        if host.hasPorts || host.notScannedCount > 0 {
            out.write("<ports>")
            for state in host.folded {
                out.write("<extraports state=\"\(state.state.rawValue)\" count=\"\(state.count)\">\n")
                for group in state.groups {
                    out.write("<extrareasons reason=\"\(group.reason.rawValue)\" count=\"\(group.count)\" "
                        + "proto=\"\(group.proto.rawValue)\" ports=\"\(group.ports)\"/>\n")
                }
                out.write("</extraports>\n")
            }
            for result in host.listed {
                out.write("<port protocol=\"\(result.proto.rawValue)\" portid=\"\(result.port)\">")
                out.write("<state state=\"\(Escape.xml(result.state.rawValue))\" reason=\"\(result.reason.rawValue)\" "
                    + "reason_ttl=\"\(result.replyTTL ?? 0)\"/>")
                if let identity = services.detected.identity(result) {
                    out.write(services.detected.xmlElement(identity))
                } else if let name = services.name(result) {
                    out.write("<service name=\"\(Escape.xml(name))\" method=\"table\" conf=\"3\"/>")
                }
                out.write("</port>\n")
            }
            out.write("</ports>\n")
        }
        if let times = host.times {
            out.write("<times srtt=\"\(NumberText.microseconds(times.srtt))\" rttvar=\"\(NumberText.microseconds(times.rttvar))\" "
                + "to=\"\(NumberText.microseconds(times.timeout))\"/>\n")
        }
        out.write("</host>\n")
    }
}
