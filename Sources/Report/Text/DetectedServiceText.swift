import PortgridCore

/// How each format shows what `-sV` learned about a port, in one place. Every field a service sent passes
/// through `Escape.visible` (text formats) or the format's own quoting (XML, JSON, CSV), so no control
/// sequence from a hostile service reaches a terminal or breaks a file.
struct DetectedServiceText {
    /// nil when `-sV` did not run: the formats then keep their usual columns.
    let detected: [ServiceKey: ServiceIdentity]?

    var isOn: Bool { detected != nil }

    func identity(_ result: PortResult) -> ServiceIdentity? {
        guard result.state == .open || result.state == .openFiltered else { return nil }
        return detected?[ServiceKey(host: result.host, proto: result.proto, port: result.port)]
    }

    /// The SERVICE column: `ssh`, `ssl/http`; nil when nothing was detected for the port.
    func serviceColumn(_ result: PortResult) -> String? { identity(result).map { Escape.visible($0.displayName) } }

    /// The VERSION column: `OpenSSH 9.2p1 Debian 2+deb12u3 (protocol 2.0)`.
    func versionColumn(_ result: PortResult) -> String { identity(result).map { Escape.visible($0.versionLine) } ?? "" }

    /// nmap's `<service …>` element with its `<cpe>` children.
    func xmlElement(_ identity: ServiceIdentity) -> String {
        var out = "<service name=\"\(Escape.xml(identity.name))\""
        let optional: [(String, String?)] = [
            ("product", identity.product), ("version", identity.version), ("extrainfo", identity.extraInfo),
            ("hostname", identity.hostname), ("ostype", identity.osType), ("devicetype", identity.deviceType),
        ]
        for (attribute, value) in optional {
            if let value { out += " \(attribute)=\"\(Escape.xml(value))\"" }
        }
        if identity.tunnelSSL { out += " tunnel=\"ssl\"" }
        out += " method=\"\(identity.method.rawValue)\" conf=\"\(identity.confidence)\""
        guard !identity.cpes.isEmpty else { return out + "/>" }
        return out + ">" + identity.cpes.map { "<cpe>\(Escape.xml($0))</cpe>" }.joined() + "</service>"
    }

    /// The JSON members added to a port with `-sV` (after `"service"`), each value JSON-quoted.
    func jsonMembers(_ result: PortResult) -> String {
        guard isOn else { return "" }
        guard let identity = identity(result) else {
            return ", \"product\": null, \"version\": null, \"extrainfo\": null, \"tunnel\": null, \"cpe\": []"
        }
        func quoted(_ value: String?) -> String { value.map(Escape.json) ?? "null" }
        var out = ", \"product\": \(quoted(identity.product)), \"version\": \(quoted(identity.version)), "
            + "\"extrainfo\": \(quoted(identity.extraInfo)), \"tunnel\": \(identity.tunnelSSL ? "\"ssl\"" : "null"), "
            + "\"cpe\": [\(identity.cpes.map(Escape.json).joined(separator: ", "))]"
        out += ", \"method\": \"\(identity.method.rawValue)\", \"conf\": \(identity.confidence)"
        if let tls = identity.tls {
            out += ", \"tls\": {\"version\": \(Escape.json(tls.protocolVersion)), \"subject\": \(Escape.json(tls.subject)), "
                + "\"issuer\": \(Escape.json(tls.issuer)), "
                + "\"san\": [\(tls.subjectAltNames.map(Escape.json).joined(separator: ", "))], "
                + "\"not_after\": \(Escape.json(tls.notAfter))}"
        }
        out += ", \"banner\": \(Escape.json(Escape.visible(bytes: identity.banner)))"
        return out
    }

    static let csvHeader = ",product,version,extrainfo,tunnel,cpe"

    /// The CSV fields added with `-sV`, made visible then CSV-quoted by the caller.
    func csvFields(_ result: PortResult) -> [String] {
        guard isOn else { return [] }
        guard let identity = identity(result) else { return ["", "", "", "", ""] }
        return [identity.product ?? "", identity.version ?? "", identity.extraInfo ?? "",
                identity.tunnelSSL ? "ssl" : "", identity.cpes.joined(separator: " ")].map { Escape.visible($0) }
    }
}

extension Escape {
    /// Text safe for a terminal and a line-based file: C0 and C1 controls and DEL become `\xHH`,
    /// and a backslash is doubled so an escape can always be told from the bytes `\x1b` sent literally.
    static func visible(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x5C: out += "\\\\"
            case 0..<0x20, 0x7F..<0xA0: out += "\\x" + hex(UInt8(scalar.value))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Raw bytes (a banner) as visible text: printable ASCII kept, everything else `\xHH`, `\r` `\n` `\t` named.
    /// The one rule for a service's bytes, in every file format and on the screen (`SafeText`).
    public static func visible(bytes: some Sequence<UInt8>) -> String {
        var out = ""
        for byte in bytes {
            switch byte {
            case 0x0D: out += "\\r"
            case 0x0A: out += "\\n"
            case 0x09: out += "\\t"
            case 0x5C: out += "\\\\"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "\\x" + hex(byte)
            }
        }
        return out
    }

    /// The bytes `visible(bytes:)` made `text` from: reports read back (merge, view) get a banner's
    /// own bytes again, so writing it out once more escapes it once, not twice. An escape it never
    /// writes is kept as it stands.
    public static func bytes(visible text: String) -> [UInt8] {
        let input = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            guard input[i] == 0x5C, i + 1 < input.count else { out.append(input[i]); i += 1; continue }
            switch input[i + 1] {
            case UInt8(ascii: "r"): out.append(0x0D); i += 2
            case UInt8(ascii: "n"): out.append(0x0A); i += 2
            case UInt8(ascii: "t"): out.append(0x09); i += 2
            case 0x5C: out.append(0x5C); i += 2
            case UInt8(ascii: "x") where i + 3 < input.count:
                if let value = UInt8(String(decoding: input[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) {
                    out.append(value)
                    i += 4
                } else {
                    out.append(input[i])
                    i += 1
                }
            default: out.append(input[i]); i += 1
            }
        }
        return out
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
