import Foundation
import PortgridCore

/// Reads a portgrid `-oJ` report back (see `JSONReport` and `JSONRequest` for the schema).
public enum JSONReportReader {
    public static func read(_ data: Data, source: String) throws(StoredReportError) -> StoredReport {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) } catch {
            throw .unreadable(source, why: "not valid JSON")
        }
        guard let root = parsed as? [String: Any], root["scanner"] as? String == "portgrid",
              let hostList = root["hosts"] as? [[String: Any]] else { throw .notPortgrid(source) }
        guard let fields = root["request"] as? [String: Any] else { throw .noRequest(source) }
        let request = try Self.request(fields, source)
        var hosts: [HostResult] = [], results: [PortResult] = []
        var detected: [ServiceKey: ServiceIdentity]?
        for entry in hostList {
            let address: IPAddress = try value(entry, "address", source, { IPAddress($0) })
            hosts.append(HostResult(address: address, hostname: entry["hostname"] as? String,
                                    status: try value(entry, "status", source, { HostStatus(rawValue: $0) }),
                                    reason: try value(entry, "reason", source, { Reason(rawValue: $0) }),
                                    rtt: (entry["rtt_ms"] as? Double).map { .microseconds(Int64(($0 * 1000).rounded())) },
                                    reverseName: entry["reverse_name"] as? String, mac: entry["mac"] as? String))
            for port in entry["ports"] as? [[String: Any]] ?? [] {
                guard let number = port["port"] as? Int, let portNumber = UInt16(exactly: number) else {
                    throw .invalidField(source, field: "port", value: "\(port["port"] ?? "")")
                }
                let proto = try value(port, "protocol", source, { TransportProtocol(rawValue: $0) })
                results.append(PortResult(host: address, proto: proto,
                                          port: portNumber, state: try value(port, "state", source, { PortState(rawValue: $0) }),
                                          reason: try value(port, "reason", source, { Reason(rawValue: $0) }),
                                          technique: try value(port, "technique", source, { Technique(rawValue: $0) })))
                // -sV's members are written for every listed port of a -sV scan ("product" null when
                // nothing was learned), so their presence says the scan detected services.
                if port.keys.contains("product") {
                    if detected == nil { detected = [:] }
                    if let identity = Self.identity(port) {
                        detected?[ServiceKey(host: address, proto: proto, port: portNumber)] = identity
                    }
                }
            }
            for extra in entry["extraports"] as? [[String: Any]] ?? [] {
                guard let text = extra["ports"] as? String else { throw .foldedWithoutPorts(source) }
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
        return StoredReport(source: source, request: request, interrupted: root["interrupted"] as? Bool ?? false,
                            hosts: hosts, results: results, detected: detected)
    }

    /// What `-sV` learned of a port, read back from `DetectedServiceText.jsonMembers`; nil when it
    /// learned nothing (no method written). The banner comes back as the escaped text the report
    /// holds: the raw bytes never reach a report.
    static func identity(_ port: [String: Any]) -> ServiceIdentity? {
        guard let method = (port["method"] as? String).flatMap(ServiceIdentity.Method.init(rawValue:)),
              var name = port["service"] as? String else { return nil }
        let tunnelSSL = port["tunnel"] as? String == "ssl"
        if tunnelSSL, name.hasPrefix("ssl/") { name.removeFirst(4) }
        var tls: TLSDetails?
        if let fields = port["tls"] as? [String: Any] {
            tls = TLSDetails(protocolVersion: fields["version"] as? String ?? "", subject: fields["subject"] as? String ?? "",
                             issuer: fields["issuer"] as? String ?? "", subjectAltNames: fields["san"] as? [String] ?? [],
                             notAfter: fields["not_after"] as? String ?? "")
        }
        return ServiceIdentity(name: name, product: port["product"] as? String, version: port["version"] as? String,
                               extraInfo: port["extrainfo"] as? String, cpes: port["cpe"] as? [String] ?? [],
                               method: method, confidence: port["conf"] as? Int ?? 10, tunnelSSL: tunnelSSL, tls: tls,
                               banner: Escape.bytes(visible: port["banner"] as? String ?? ""))
    }

    static func request(_ fields: [String: Any], _ source: String) throws(StoredReportError) -> ScanRequest {
        let targets = fields["targets"] as? [String] ?? [], exclude = fields["exclude"] as? [String] ?? []
        let targetSet: TargetSet
        do { targetSet = try TargetSet(parsing: targets, excluding: exclude) } catch {
            throw .invalidField(source, field: "targets", value: targets.joined(separator: " "))
        }
        let portText = fields["ports"] as? String ?? ""
        let ports: PortList
        do { ports = try PortList(parsing: portText) } catch { throw .invalidField(source, field: "ports", value: portText) }
        let seedText = fields["seed"] as? String ?? ""
        guard let seed = UInt64(seedText) else { throw .invalidField(source, field: "seed", value: seedText) }
        let shardText = fields["shard"] as? String ?? "1/1"
        let shard: Shard
        do { shard = try Shard.parse(shardText) } catch { throw .invalidField(source, field: "shard", value: shardText) }
        let level = fields["timing"] as? Int ?? 3
        guard (0...5).contains(level) else { throw .invalidField(source, field: "timing", value: "\(level)") }
        var timing = TimingProfile.template(level)
        if let retries = fields["max_retries"] as? Int { timing.maxRetries = retries }
        timing.minRate = fields["min_rate"] as? Double
        timing.maxRate = fields["max_rate"] as? Double
        timing.hostTimeout = (fields["host_timeout_ms"] as? Int).map { .milliseconds($0) }
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
                                  skipDiscovery: fields["skip_discovery"] as? Bool ?? false,
                                  reverseDNS: Self.reverseDNS(fields["reverse_dns"]), shard: shard, seed: seed)
        request.sequential = fields["sequential"] as? Bool ?? false
        request.ipv6 = fields["ipv6"] as? Bool ?? false
        request.openOnly = fields["open_only"] as? Bool ?? false
        if let probes = fields["discovery"] { request.discoveryProbes = try discovery(probes, source) }
        if let packets = fields["packets"] as? [String: Any] { request.packets = try Self.packets(packets, source) }
        return request
    }

    private static func discovery(_ field: Any, _ source: String) throws(StoredReportError) -> DiscoveryProbeSet {
        guard let object = field as? [String: Any] else { throw .invalidField(source, field: "discovery", value: "\(field)") }
        func ports(_ key: String) throws(StoredReportError) -> [UInt16] {
            let numbers = object[key] as? [Int] ?? []
            let ports = numbers.compactMap { UInt16(exactly: $0) }
            guard ports.count == numbers.count else {
                throw .invalidField(source, field: "discovery \(key)", value: "\(numbers)")
            }
            return ports
        }
        return DiscoveryProbeSet(synPorts: try ports("syn"), ackPorts: try ports("ack"), udpPorts: try ports("udp"),
                                 echo: object["echo"] as? Bool ?? false, timestamp: object["timestamp"] as? Bool ?? false)
    }

    /// A `*_ms` field (milliseconds, maybe with a fraction), nil when absent.
    private static func duration(_ fields: [String: Any], _ key: String,
                                 _ source: String) throws(StoredReportError) -> Duration? {
        guard let raw = fields[key], !(raw is NSNull) else { return nil }
        guard let ms = raw as? Double, ms.isFinite, ms >= 0, ms <= 3_600_000_000 else {
            throw .invalidField(source, field: key, value: "\(raw)")
        }
        return .microseconds(Int64((ms * 1000).rounded()))
    }

    /// A positive count field, nil when absent or null.
    private static func count(_ fields: [String: Any], _ key: String, _ source: String) throws(StoredReportError) -> Int? {
        guard let raw = fields[key], !(raw is NSNull) else { return nil }
        guard let number = raw as? Int, number >= 1 else { throw .invalidField(source, field: key, value: "\(raw)") }
        return number
    }

    /// The `"packets"` object (`JSONRequest`): `--ttl`, `--badsum`, `-g`, `-S`, `-e`.
    private static func packets(_ fields: [String: Any], _ source: String) throws(StoredReportError) -> PacketOptions {
        var options = PacketOptions(badChecksum: fields["badsum"] as? Bool ?? false,
                                    interface: fields["interface"] as? String)
        if let ttl = fields["ttl"] as? Int {
            guard let value = UInt8(exactly: ttl) else { throw .invalidField(source, field: "packets.ttl", value: "\(ttl)") }
            options.ttl = value
        }
        if let port = fields["source_port"] as? Int {
            guard let value = UInt16(exactly: port), value > 0 else {
                throw .invalidField(source, field: "packets.source_port", value: "\(port)")
            }
            options.sourcePort = value
        }
        if let text = fields["source_address"] as? String {
            guard let address = IPAddress(text) else {
                throw .invalidField(source, field: "packets.source_address", value: text)
            }
            options.sourceAddress = address
        }
        return options
    }

    /// `"never"`, `"live"` or `"all"`; reports written before the default turned on hold a bool
    /// (`true` was -R, `false` no lookups).
    private static func reverseDNS(_ field: Any?) -> ReverseDNS {
        if let text = field as? String, let rule = ReverseDNS(rawValue: text) { return rule }
        if let flag = field as? Bool { return flag ? .allHosts : .never }
        return .liveHosts
    }

    private static func value<T>(_ object: [String: Any], _ key: String, _ source: String,
                                 _ make: (String) -> T?) throws(StoredReportError) -> T {
        let text = object[key] as? String ?? ""
        guard let made = make(text) else { throw .invalidField(source, field: key, value: text) }
        return made
    }
}
