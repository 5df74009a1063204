/// Parses targets as nmap users type them. Pure: host names are kept as names.
public enum TargetSpec {
    /// Parses every argument; an argument may itself be a comma list of targets.
    public static func parse(_ arguments: [String]) throws(SpecError) -> [TargetTerm] {
        var terms: [TargetTerm] = []
        for argument in arguments {
            for token in argument.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
                terms += try parseToken(String(token))
            }
        }
        guard !terms.isEmpty else { throw .emptyTarget }
        return terms
    }

    /// A token is first read as one nmap octet expression (where commas list octet values, as in
    /// `198.18.0.1,5`); failing that, as a comma list of whole targets.
    static func parseToken(_ token: String) throws(SpecError) -> [TargetTerm] {
        if let term = try parseSingle(token) { return [term] }
        if token.contains(",") {
            var terms: [TargetTerm] = []
            for piece in token.split(separator: ",", omittingEmptySubsequences: false) {
                guard !piece.isEmpty else { throw .invalidTarget(token, why: "empty element in comma list") }
                guard let term = try parseSingle(String(piece)) else {
                    throw .invalidTarget(String(piece), why: "not an address, range, CIDR block or host name")
                }
                terms.append(term)
            }
            return terms
        }
        throw .invalidTarget(token, why: "not an address, range, CIDR block or host name")
    }

    /// Returns nil when the token is not of any target form; throws when it is of a form but wrong
    /// (an octet over 255, a prefix over 32), so the message says what is wrong rather than "unknown".
    static func parseSingle(_ token: String) throws(SpecError) -> TargetTerm? {
        guard !token.isEmpty else { return nil }
        var body = Substring(token)
        var prefix: Int?
        if let slash = token.lastIndex(of: "/") {
            body = token[..<slash]
            let prefixText = token[token.index(after: slash)...]
            guard !prefixText.isEmpty, prefixText.allSatisfy({ $0.isASCII && $0.isNumber }), prefixText.count <= 3,
                  let value = Int(prefixText) else {
                throw .invalidPrefix(token, why: "'/\(prefixText)' is not a number")
            }
            prefix = value
        }
        if body.contains(":") {
            guard let v6 = IPv6Address(body) else {
                throw .invalidTarget(token, why: "not a valid IPv6 address")
            }
            let bits = prefix ?? 128
            guard bits <= 128 else { throw .invalidPrefix(token, why: "an IPv6 prefix is 0 to 128") }
            guard 128 - bits <= TargetSet.maxAddresses.trailingZeroBitCount else {
                throw .ipv6PrefixTooLarge(token, prefix: bits)
            }
            return .ipv6Block(v6, prefix: bits)
        }
        if looksNumeric(body) {
            if let bits = prefix {
                guard let base = IPv4Address(body) else {
                    throw .invalidTarget(token, why: ipv4Problem(body))
                }
                guard bits <= 32 else { throw .invalidPrefix(token, why: "an IPv4 prefix is 0 to 32") }
                return .ipv4Block(base, prefix: bits)
            }
            let parts = body.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else {
                if token.contains(",") { return nil }
                throw .invalidTarget(token, why: "an IPv4 address has four octets")
            }
            var sets: [OctetSet] = []
            for part in parts {
                guard let set = octetSet(part) else {
                    if token.contains(",") && !part.contains(",") { return nil }
                    throw .invalidTarget(token, why: ipv4Problem(body))
                }
                sets.append(set)
            }
            return .ipv4Octets(sets[0], sets[1], sets[2], sets[3], text: token)
        }
        guard isHostname(body) else { return nil }
        if let bits = prefix, bits > 32 { throw .invalidPrefix(token, why: "an IPv4 prefix is 0 to 32") }
        return .hostname(String(body), prefix: prefix)
    }

    /// Digits, dots, dashes, commas and `*` only: an IPv4 expression, not a name.
    static func looksNumeric(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "," || $0 == "*") }
            && text.contains(where: { $0.isNumber })
    }

    static func ipv4Problem(_ body: Substring) -> String {
        for part in body.split(separator: ".", omittingEmptySubsequences: false) {
            for piece in part.split(separator: ",") {
                for bound in piece.split(separator: "-") where Int(bound).map({ $0 > 255 }) ?? false {
                    return "octet \(bound) is greater than 255"
                }
            }
        }
        return "malformed IPv4 address or range"
    }

    /// One octet: `*`, a number, `a-b`, `-b`, `a-`, or a comma list of those.
    static func octetSet(_ text: Substring) -> OctetSet? {
        guard !text.isEmpty else { return nil }
        var set = OctetSet()
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            if piece == "*" { set = .all; continue }
            let bounds = piece.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            if bounds.count == 1 {
                guard let v = IPv4Address.octet(bounds[0]) else { return nil }
                set.insert(v)
            } else {
                let low = bounds[0].isEmpty ? 0 : IPv4Address.octet(bounds[0])
                let high = bounds[1].isEmpty ? 255 : IPv4Address.octet(bounds[1])
                guard let low, let high, low <= high else { return nil }
                for v in low...high { set.insert(v) }
            }
        }
        return set
    }

    /// RFC 1123 host names: labels of letters, digits and hyphens.
    static func isHostname(_ text: Substring) -> Bool {
        guard text.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        } && text.contains(where: { $0.isLetter })
    }
}
