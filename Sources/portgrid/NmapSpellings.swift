/// nmap spellings the argument parser cannot read as typed, rewritten into ones it can before
/// parsing: a port list joined to a discovery flag (`-PS22,80` -> `-PS 22,80`), and the flag
/// alone (`-PS` -> `-PS ""`: nmap's default port), and a debug level (`-d3` -> `-d -d -d`). Everything after `--` is left alone, and so is
/// every value an option consumes (`-oN -PS22` names a file).
enum NmapSpellings {
    static let joinedPortFlags = ["-PS", "-PA", "-PU"]

    static func normalize(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            // `-d3`: nmap's debug level as a number; here each level is one -d.
            if argument.count == 3, argument.hasPrefix("-d"), let level = Int(argument.dropFirst(2)) {
                result += Array(repeating: "-d", count: level)
                index += 1
                continue
            }
            if let flag = joinedPortFlags.first(where: { argument.hasPrefix($0) }) {
                let rest = String(argument.dropFirst(flag.count))
                if !rest.isEmpty {
                    result += [flag, rest.hasPrefix("=") ? String(rest.dropFirst()) : rest]
                } else if index + 1 < arguments.count, looksLikePorts(arguments[index + 1]) {
                    result += [flag, arguments[index + 1]]
                    index += 1
                } else {
                    result += [flag, ""]
                }
                index += 1
                continue
            }
            result.append(argument)
            if takesValue(argument), index + 1 < arguments.count {
                result.append(arguments[index + 1])
                index += 1
            }
            index += 1
        }
        return result
    }

    /// `-PS 22,80`: the next word is the flag's port list when it is one (nmap itself only reads
    /// the joined form; the separate one is what `--help` shows, so both work).
    private static func looksLikePorts(_ word: String) -> Bool {
        !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "," || $0 == "-") } && word != "-"
            && !word.hasPrefix("-")
    }

    /// Options whose next word is their value, whatever it looks like: it must not be rewritten.
    private static func takesValue(_ argument: String) -> Bool {
        valueOptions.contains(argument)
    }

    static let valueOptions: Set<String> = [
        "-iL", "--exclude", "--excludefile", "-p", "--exclude-ports", "--top-ports", "--version-intensity",
        "-T", "--min-hostgroup", "--max-hostgroup", "--min-parallelism", "--max-parallelism",
        "--initial-rtt-timeout", "--min-rtt-timeout", "--max-rtt-timeout", "--max-retries", "--host-timeout",
        "--scan-delay", "--max-scan-delay", "--min-rate", "--max-rate", "--rate", "-S", "-e", "-g", "--source-port",
        "--ttl", "-oN", "-oX", "-oG", "-oJ", "-oC", "-oM", "-oA", "--stats-every", "--shard", "--seed", "--resume",
    ]
}
