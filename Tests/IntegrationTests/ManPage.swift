import Foundation
@testable import portgrid

/// docs/portgrid.1, made from the command's own definitions: the option groups (`--help`'s
/// sections), their help texts and value names as `portgrid --experimental-dump-help` describes
/// them, and the examples `--help` ends with. swift-argument-parser's generate-manual plugin
/// reads the same dump but lists every option in one flat list, without nmap's sections, so the
/// page is written here. `ManPageTests` checks the shipped page is what this makes of the
/// current binary; `PORTGRID_RECORD_MANPAGE=1` rewrites it.
enum ManPage {
    /// The page's date: the version's, not the day it was generated (the page would never be current).
    static let date = "December 1, 2026"

    struct Dump: Decodable {
        var command: Command
    }

    struct Command: Decodable {
        var abstract: String?
        var discussion: String?
        var arguments: [Argument]?
    }

    struct Argument: Decodable {
        struct Name: Decodable {
            var kind: String
            var name: String
        }

        var kind: String
        var names: [Name]?
        var valueName: String?
        var abstract: String?
        var sectionTitle: String?
        var shouldDisplay: Bool
        var isRepeating: Bool?
    }

    static func render(dumpJSON: Data) throws -> String {
        let command = try JSONDecoder().decode(Dump.self, from: dumpJSON).command
        var lines = [
            #".\" Made from portgrid's option definitions (portgrid --experimental-dump-help) by"#,
            #".\" Tests/IntegrationTests/ManPage.swift: PORTGRID_RECORD_MANPAGE=1 swift test --filter CommandLineDocsTests"#,
            ".Dd \(date)", ".Dt PORTGRID 1", ".Os", ".Sh NAME", ".Nm portgrid",
            ".Nd " + text(command.abstract ?? "").replacingOccurrences(of: ".", with: "", options: .anchored),
            ".Sh SYNOPSIS", ".Nm", ".Op Ar options", ".Op Ar targets ...",
            ".Nm", ".Cm merge", ".Ar report ...", ".Nm", ".Cm view", ".Ar report",
            ".Sh DESCRIPTION",
        ]
        lines += (command.discussion ?? "").split(separator: "\n").map { text(String($0)) }
        let shown = (command.arguments ?? []).filter(\.shouldDisplay)
        let positional = shown.filter { $0.kind == "positional" }
        if !positional.isEmpty {
            lines.append(".Bl -tag -width Ds")
            for argument in positional {
                lines += [".It Ar \(argument.valueName ?? "value")\(argument.isRepeating == true ? " ..." : "")",
                          text(argument.abstract ?? "")]
            }
            lines.append(".El")
        }
        var sections: [String] = []
        for argument in shown where argument.kind != "positional" {
            let title = argument.sectionTitle ?? "OPTIONS"
            if !sections.contains(title) { sections.append(title) }
        }
        for section in sections {
            lines += [".Sh \"\(section)\"", ".Bl -tag -width Ds"]
            for argument in shown where argument.kind != "positional" && (argument.sectionTitle ?? "OPTIONS") == section {
                let names = (argument.names ?? []).map { name -> String in
                    switch name.kind {
                    case "short", "longWithSingleDash": "Fl \(name.name)"
                    default: "Fl -\(name.name)"
                    }
                }.joined(separator: " , ")
                let value = argument.kind == "option" ? " Ar \(argument.valueName ?? "value")" : ""
                lines += [".It \(names)\(value)", text(argument.abstract ?? "")]
            }
            lines.append(".El")
        }
        lines += [".Sh \"EXIT STATUS\"",
                  "0 the scan finished; 1 a runtime failure (the scan failed, an output could not be opened or written);",
                  "64 a usage error (one line on standard error names it); 128+N the run was ended by signal N",
                  "(the results found are still written).",
                  ".Sh EXAMPLES", ".Bl -tag -width Ds"]
        for example in PortgridCommand.examples {
            lines += [".It Li \"\(example.command)\"", text(example.meaning)]
        }
        lines += [".El", ".Sh \"SEE ALSO\"", ".Xr nmap 1", ""]
        return lines.joined(separator: "\n")
    }

    /// A line of running text: backslashes escaped, and a leading `.` or `'` kept from reading as a request.
    static func text(_ line: String) -> String {
        let escaped = line.replacingOccurrences(of: "\\", with: "\\e")
        return escaped.hasPrefix(".") || escaped.hasPrefix("'") ? "\\&" + escaped : escaped
    }
}
