import FoundationEssentials
import PortgridCore

/// Reads a portgrid `-oJ` report back (see `JSONReport` and `JSONRequest` for the schema).
public enum JSONReportReader {
    public static func read(_ data: Data, source: String) throws(StoredReportError) -> StoredReport {
        guard let root = JSONValue.parse(data) else { throw .unreadable(source, why: "not valid JSON") }
        guard root["scanner"]?.string == "portgrid", let hostList = root["hosts"]?.objects else { throw .notPortgrid(source) }
        guard let fields = root["request"], fields.object != nil else { throw .noRequest(source) }
        let request = try Self.request(fields, source)
        var hosts: [HostResult] = [], results: [PortResult] = []
        var detected: [ServiceKey: ServiceIdentity]?
        for entry in hostList {
            let address: IPAddress = try value(entry, "address", source, { IPAddress($0) })
            hosts.append(HostResult(address: address, hostname: entry["hostname"]?.string,
                                    status: try value(entry, "status", source, { HostStatus(rawValue: $0) }),
                                    reason: try value(entry, "reason", source, { Reason(rawValue: $0) }),
                                    rtt: (entry["rtt_ms"]?.double).map { .microseconds(Int64(($0 * 1000).rounded())) },
                                    reverseName: entry["reverse_name"]?.string, mac: entry["mac"]?.string))
            for port in entry["ports"]?.objects ?? [] {
                guard let number = port["port"]?.int, let portNumber = UInt16(exactly: number) else {
                    throw .invalidField(source, field: "port", value: port["port"]?.description ?? "")
                }
                let proto = try value(port, "protocol", source, { TransportProtocol(rawValue: $0) })
                results.append(PortResult(host: address, proto: proto,
                                          port: portNumber, state: try value(port, "state", source, { PortState(rawValue: $0) }),
                                          reason: try value(port, "reason", source, { Reason(rawValue: $0) }),
                                          technique: try value(port, "technique", source, { Technique(rawValue: $0) })))
                // -sV's members are written for every listed port of a -sV scan ("product" null when
                // nothing was learned), so their presence says the scan detected services.
                if port["product"] != nil {
                    if detected == nil { detected = [:] }
                    if let identity = Self.identity(port) {
                        detected?[ServiceKey(host: address, proto: proto, port: portNumber)] = identity
                    }
                }
            }
            for extra in entry["extraports"]?.objects ?? [] {
                guard let text = extra["ports"]?.string else { throw .foldedWithoutPorts(source) }
                let proto = try value(extra, "protocol", source, { TransportProtocol(rawValue: $0) })
                let state = try value(extra, "state", source, { PortState(rawValue: $0) })
                let reason = try value(extra, "reason", source, { Reason(rawValue: $0) })
                let ports: PortList
                do { ports = try PortList(parsing: text) } catch {
                    throw .invalidField(source, field: "extraports ports", value: text)
                }
                // Folded ports carry no technique of their own: a report is of one scan, one technique.
                for port in ports.ports(for: proto) {
                    results.append(PortResult(host: address, proto: proto, port: port, state: state, reason: reason,
                                              technique: request.technique))
                }
            }
        }
        return StoredReport(source: source, request: request, interrupted: root["interrupted"]?.bool ?? false,
                            hosts: hosts, results: results, detected: detected)
    }

    /// What `-sV` learned of a port, read back from `DetectedServiceText.jsonMembers`; nil when it
    /// learned nothing (no method written). The banner comes back as the escaped text the report
    /// holds: the raw bytes never reach a report.
    static func identity(_ port: JSONValue) -> ServiceIdentity? {
        guard let method = (port["method"]?.string).flatMap(ServiceIdentity.Method.init(rawValue:)),
              var name = port["service"]?.string else { return nil }
        let tunnelSSL = port["tunnel"]?.string == "ssl"
        if tunnelSSL, name.hasPrefix("ssl/") { name.removeFirst(4) }
        var tls: TLSDetails?
        if let fields = port["tls"], fields.object != nil {
            tls = TLSDetails(protocolVersion: fields["version"]?.string ?? "", subject: fields["subject"]?.string ?? "",
                             issuer: fields["issuer"]?.string ?? "", subjectAltNames: fields["san"]?.strings ?? [],
                             notAfter: fields["not_after"]?.string ?? "")
        }
        return ServiceIdentity(name: name, product: port["product"]?.string, version: port["version"]?.string,
                               extraInfo: port["extrainfo"]?.string, cpes: port["cpe"]?.strings ?? [],
                               method: method, confidence: port["conf"]?.int ?? 10, tunnelSSL: tunnelSSL, tls: tls,
                               banner: Escape.bytes(visible: port["banner"]?.string ?? ""))
    }

    static func request(_ fields: JSONValue, _ source: String) throws(StoredReportError) -> ScanRequest {
        let targets = fields["targets"]?.strings ?? [], exclude = fields["exclude"]?.strings ?? []
        let targetSet: TargetSet
        do { targetSet = try TargetSet(parsing: targets, excluding: exclude) } catch {
            throw .invalidField(source, field: "targets", value: targets.joined(separator: " "))
        }
        let portText = fields["ports"]?.string ?? ""
        let ports: PortList
        do { ports = try PortList(parsing: portText) } catch { throw .invalidField(source, field: "ports", value: portText) }
        let seedText = fields["seed"]?.string ?? ""
        guard let seed = UInt64(seedText) else { throw .invalidField(source, field: "seed", value: seedText) }
        let shardText = fields["shard"]?.string ?? "1/1"
        let shard: Shard
        do { shard = try Shard.parse(shardText) } catch { throw .invalidField(source, field: "shard", value: shardText) }
        let level = fields["timing"]?.int ?? 3
        guard (0...5).contains(level) else { throw .invalidField(source, field: "timing", value: "\(level)") }
        var timing = TimingProfile.template(level)
        if let retries = fields["max_retries"]?.int { timing.maxRetries = retries }
        timing.minRate = fields["min_rate"]?.double
        timing.maxRate = fields["max_rate"]?.double
        timing.hostTimeout = (fields["host_timeout_ms"]?.int).map { .milliseconds($0) }
        // Fields older reports lack keep the template's values.
        if let value = try duration(fields, "initial_rtt_timeout_ms", source) { timing.initialRTTTimeout = value }
        if let value = try duration(fields, "min_rtt_timeout_ms", source) { timing.minRTTTimeout = value }
        if let value = try duration(fields, "max_rtt_timeout_ms", source) { timing.maxRTTTimeout = value }
        if let value = try duration(fields, "scan_delay_ms", source) { timing.scanDelay = value }
        if fields["max_parallelism"] != nil { timing.maxParallelism = try count(fields, "max_parallelism", source) }
        timing.minParallelism = try count(fields, "min_parallelism", source)
        timing.minHostgroup = try count(fields, "min_hostgroup", source)
        timing.maxHostgroup = try count(fields, "max_hostgroup", source)
        var request = ScanRequest(targets: targetSet, ports: ports,
                                  technique: try value(fields, "technique", source, { Technique(rawValue: $0) }), timing: timing,
                                  skipDiscovery: fields["skip_discovery"]?.bool ?? false,
                                  reverseDNS: Self.reverseDNS(fields["reverse_dns"]), shard: shard, seed: seed)
        request.sequential = fields["sequential"]?.bool ?? false
        request.ipv6 = fields["ipv6"]?.bool ?? false
        request.openOnly = fields["open_only"]?.bool ?? false
        if let probes = fields["discovery"] { request.discoveryProbes = try discovery(probes, source) }
        if let packets = fields["packets"], packets.object != nil { request.packets = try Self.packets(packets, source) }
        if let text = fields["link_layer"]?.string {
            guard let choice = LinkLayerChoice(rawValue: text) else {
                throw .invalidField(source, field: "link_layer", value: text)
            }
            request.packets.linkLayer = choice
        }
        return request
    }

    private static func discovery(_ field: JSONValue, _ source: String) throws(StoredReportError) -> DiscoveryProbeSet {
        guard field.object != nil else { throw .invalidField(source, field: "discovery", value: "\(field)") }
        func ports(_ key: String) throws(StoredReportError) -> [UInt16] {
            let numbers = field[key]?.ints ?? []
            let ports = numbers.compactMap { UInt16(exactly: $0) }
            guard ports.count == numbers.count else {
                throw .invalidField(source, field: "discovery \(key)", value: "\(numbers)")
            }
            return ports
        }
        return DiscoveryProbeSet(synPorts: try ports("syn"), ackPorts: try ports("ack"), udpPorts: try ports("udp"),
                                 echo: field["echo"]?.bool ?? false, timestamp: field["timestamp"]?.bool ?? false)
    }

    /// A `*_ms` field (milliseconds, maybe with a fraction), nil when absent.
    private static func duration(_ fields: JSONValue, _ key: String,
                                 _ source: String) throws(StoredReportError) -> Duration? {
        guard let raw = fields[key], !raw.isNull else { return nil }
        guard let ms = raw.double, ms.isFinite, ms >= 0, ms <= 3_600_000_000 else {
            throw .invalidField(source, field: key, value: "\(raw)")
        }
        return .microseconds(Int64((ms * 1000).rounded()))
    }

    /// A positive count field, nil when absent or null.
    private static func count(_ fields: JSONValue, _ key: String, _ source: String) throws(StoredReportError) -> Int? {
        guard let raw = fields[key], !raw.isNull else { return nil }
        guard let number = raw.int, number >= 1 else { throw .invalidField(source, field: key, value: "\(raw)") }
        return number
    }

    /// The `"packets"` object (`JSONRequest`): `--ttl`, `--badsum`, `-g`, `-S`, `-e`.
    private static func packets(_ fields: JSONValue, _ source: String) throws(StoredReportError) -> PacketOptions {
        var options = PacketOptions(badChecksum: fields["badsum"]?.bool ?? false,
                                    interface: fields["interface"]?.string)
        if let ttl = fields["ttl"]?.int {
            guard let value = UInt8(exactly: ttl) else { throw .invalidField(source, field: "packets.ttl", value: "\(ttl)") }
            options.ttl = value
        }
        if let port = fields["source_port"]?.int {
            guard let value = UInt16(exactly: port), value > 0 else {
                throw .invalidField(source, field: "packets.source_port", value: "\(port)")
            }
            options.sourcePort = value
        }
        if let text = fields["source_address"]?.string {
            guard let address = IPAddress(text) else {
                throw .invalidField(source, field: "packets.source_address", value: text)
            }
            options.sourceAddress = address
        }
        return options
    }

    /// `"never"`, `"live"` or `"all"`; reports written before the default turned on hold a bool
    /// (`true` was -R, `false` no lookups).
    private static func reverseDNS(_ field: JSONValue?) -> ReverseDNS {
        if let text = field?.string, let rule = ReverseDNS(rawValue: text) { return rule }
        if let flag = field?.bool { return flag ? .allHosts : .never }
        return .liveHosts
    }

    private static func value<T>(_ object: JSONValue, _ key: String, _ source: String,
                                 _ make: (String) -> T?) throws(StoredReportError) -> T {
        let text = object[key]?.string ?? ""
        guard let made = make(text) else { throw .invalidField(source, field: key, value: text) }
        return made
    }
}
