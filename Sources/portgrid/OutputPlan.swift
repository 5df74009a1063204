import Report

/// The reports the flags ask for, in flag order, each path as the bytes typed. `-oA BASE` is three
/// of them (`BASE.nmap`, `BASE.xml`, `BASE.gnmap`), each named `-oA` in messages.
enum OutputPlan {
    static func requests(_ command: PortgridCommand, raw: RawArguments) throws(CommandFailure) -> [ReportRequest] {
        var requests: [ReportRequest] = []
        if let base = command.output.allBase {
            let bytes = raw.value(of: "-oA", parsed: base)
            guard !bytes.isEmpty else { throw .usage("-oA needs a base name: an empty one would write hidden .nmap, .xml and .gnmap files") }
            for format in [ReportFormat.normal, .xml, .grepable] {
                requests.append(ReportRequest(format: format, path: ReportPath(bytes: bytes + Array(".\(format.fileExtension)".utf8)),
                                              flag: "-oA"))
            }
        }
        // -oM is nmap's old name for grepable output ("machine"); Markdown is -oD / --markdown.
        let markdownFlag = raw.contains("--markdown") && !raw.contains("-oD") ? "--markdown" : "-oD"
        let single: [(ReportFormat, String, String?)] = [
            (.normal, "-oN", command.output.normalFile), (.xml, "-oX", command.output.xmlFile),
            (.grepable, "-oG", command.output.grepFile), (.grepable, "-oM", command.output.machineFile),
            (.json, "-oJ", command.output.jsonFile), (.csv, "-oC", command.output.csvFile),
            (.markdown, markdownFlag, command.output.markdownFile),
        ]
        for case let (format, flag, path?) in single {
            let bytes = raw.value(of: flag, parsed: path)
            guard !bytes.isEmpty else { throw .usage("\(flag) needs a file name ('-' for standard output), not an empty one") }
            requests.append(ReportRequest(format: format, path: ReportPath(bytes: bytes), flag: flag))
        }
        return requests
    }
}
