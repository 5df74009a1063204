import PortgridCore
import Testing
@testable import portgrid

/// The command line's flags into the ScanRequest, without running a scan: each nmap flag the
/// command reads has its effect here, checked on the parsed command (issue 13).
@Suite("flags into the request")
struct FlagRequestTests {
    let ranking = PortRanking(tcp: Array(1...2000).map(UInt16.init), udp: Array(3001...5000).map(UInt16.init),
                              source: "test")

    func request(_ arguments: [String], files: [String: String] = [:]) throws -> ScanRequest {
        let command = try PortgridCommand.parse(NmapSpellings.normalize(arguments))
        try command.checkCombinations()
        return try command.makeRequest(defaultTechnique: .connect, ranking: ranking) { path, flag throws(SpecError) in
            guard let text = files[path] else { throw .invalidTarget(path, why: "\(flag) cannot read this file") }
            return text
        }
    }

    func refusal(_ arguments: [String], files: [String: String] = [:]) -> String? {
        do {
            _ = try request(arguments, files: files)
            return nil
        } catch let error as CommandFailure {
            return error.status == 64 ? error.description : "status \(error.status)"
        } catch {
            return "\(error)"
        }
    }

    @Test("-iL reads targets from a file, comments and blank lines skipped; '-' is standard input")
    func inputList() throws {
        let file = "# lab\n198.18.0.2  198.18.0.3 # two\n\n198.18.1.0/30\n"
        let listed = try request(["-iL", "hosts.txt"], files: ["hosts.txt": file])
        #expect(listed.targets.description == "198.18.0.2 198.18.0.3 198.18.1.0/30")
        let stdin = try request(["-iL", "-", "198.18.0.9"], files: ["-": "198.18.0.7\n"])
        #expect(stdin.targets.description == "198.18.0.9 198.18.0.7")
        #expect(refusal(["-iL", "empty.txt"], files: ["empty.txt": "# nothing\n"])?.contains("-iL") == true)
        #expect(refusal(["-iL", "missing.txt"])?.contains("missing.txt") == true)
    }

    @Test("--excludefile leaves out the targets the file lists")
    func excludeFile() throws {
        let request = try request(["198.18.0.0/30", "--excludefile", "skip"], files: ["skip": "198.18.0.1\n198.18.0.2"])
        #expect(Array(request.targets.addresses).filter { !request.targets.isExcluded($0) }.map(\.description)
                == ["198.18.0.0", "198.18.0.3"])
    }

    @Test("--exclude-ports takes ports out of -p, --top-ports and the default list")
    func excludePorts() throws {
        #expect(try request(["-p", "20-25", "--exclude-ports", "22,T:24"]).ports.tcp == PortSet(ports: [20, 21, 23, 25]))
        let top = try request(["--top-ports", "10", "--exclude-ports", "1-5"])
        #expect(top.ports.tcp == PortSet([6...10]))
        #expect(try request(["--exclude-ports", "1-990"]).ports.tcp == PortSet([991...1000]), "the default list too")
        #expect(refusal(["--exclude-ports", "1-1000"])?.contains("--exclude-ports") == true, "nothing left to scan")
        #expect(refusal(["-p", "22", "--exclude-ports", "22"])?.contains("--exclude-ports") == true)
        #expect(refusal(["-p", "22", "--exclude-ports", "x"]) != nil)
    }

    @Test("-F scans the 100 highest-ranked ports; --top-ports N the N highest; no port flag the 1,000 highest")
    func rankedPorts() throws {
        #expect(try request(["-F"]).ports == ranking.top(100))
        #expect(try request(["--top-ports", "7"]).ports == ranking.top(7))
        #expect(try request([]).ports == ranking.top(1000))
        #expect(refusal(["-F", "-p", "22"])?.contains("-F") == true)
        #expect(refusal(["-F", "--top-ports", "5"])?.contains("-F") == true)
    }

    @Test("-r, -6 and --open reach the request")
    func requestFields() throws {
        #expect(try request(["-r"]).sequential)
        #expect(try !request([]).sequential)
        #expect(try request(["--open"]).openOnly)
        let six = try request(["-6", "::1"])
        #expect(six.ipv6)
        #expect(try request(["-6"]).targets.description == "::1", "no target: this machine over IPv6")
        #expect(refusal(["-6", "198.18.0.2"])?.contains("-6") == true)
        #expect(refusal(["-6", "example.test/24"])?.contains("-6") == true)
    }

    @Test("-PS, -PA and -PE choose the discovery probes, joined or not; none keeps nmap's default")
    func discoveryProbes() throws {
        #expect(try request([]).discoveryProbes == .standard)
        let chosen = try request(["-PS22,80", "-PA", "443", "-PE"]).discoveryProbes
        #expect(chosen == DiscoveryProbeSet(synPorts: [22, 80], ackPorts: [443], echo: true))
        #expect(try request(["-PS"]).discoveryProbes == DiscoveryProbeSet(synPorts: [80]))
        #expect(try request(["-PE"]).discoveryProbes == DiscoveryProbeSet(echo: true))
        #expect(refusal(["-PSx"])?.contains("-PS") == true)
        #expect(refusal(["-PS22", "-Pn"])?.contains("-Pn") == true)
    }

    @Test("-PU takes ports (nmap's 40125 alone) and -PP asks for timestamps; -PP refuses IPv6 as nmap does")
    func udpAndTimestampProbes() throws {
        #expect(try request(["-PU"]).discoveryProbes == DiscoveryProbeSet(udpPorts: [40125]))
        #expect(try request(["-PU53,161"]).discoveryProbes == DiscoveryProbeSet(udpPorts: [53, 161]))
        #expect(try request(["-PP"]).discoveryProbes == DiscoveryProbeSet(timestamp: true))
        #expect(try request(["-PP", "-PE", "-PU", "-PS22"]).discoveryProbes
                == DiscoveryProbeSet(synPorts: [22], udpPorts: [40125], echo: true, timestamp: true))
        #expect(refusal(["-PU70000"])?.contains("-PU") == true)
        #expect(refusal(["-PUT:53"])?.contains("-PU") == true)
        #expect(refusal(["-PP", "-6", "::1"]) == "-PP: ICMP timestamp discovery is only valid for IPv4; leave out -6")
        #expect(refusal(["-PP", "2001:2::5"])?.contains("-PP") == true)
        #expect(try request(["-PE", "-6", "::1"]).discoveryProbes == DiscoveryProbeSet(echo: true))
    }

    @Test("--max-hostgroup and --min-hostgroup set the profile; a minimum above the maximum, or groups with shards, are refused")
    func hostgroups() throws {
        let timing = try request(["--max-hostgroup", "16", "--min-hostgroup", "4"]).timing
        #expect(timing.maxHostgroup == 16 && timing.minHostgroup == 4)
        #expect(try request([]).timing.maxHostgroup == nil)
        #expect(refusal(["--max-hostgroup", "0"])?.contains("--max-hostgroup") == true)
        #expect(refusal(["--max-hostgroup", "x"])?.contains("--max-hostgroup") == true)
        #expect(refusal(["--min-hostgroup", "9", "--max-hostgroup", "8"])?.contains("--min-hostgroup") == true)
        #expect(refusal(["--max-hostgroup", "8", "--shard", "1/2", "--seed", "3"])?.contains("--shard") == true)
    }

    @Test("the timing flags set the profile, and contradictions are refused naming the flag")
    func timingFlags() throws {
        let timing = try request(["--min-parallelism", "20", "--max-parallelism", "50", "--initial-rtt-timeout", "300ms",
                                  "--min-rtt-timeout", "50ms", "--max-rtt-timeout", "2s", "--scan-delay", "10ms",
                                  "--min-rate", "100", "--rate", "500", "--min-hostgroup", "64"]).timing
        #expect(timing.minParallelism == 20 && timing.maxParallelism == 50)
        #expect(timing.initialRTTTimeout == .milliseconds(300))
        #expect(timing.minRTTTimeout == .milliseconds(50) && timing.maxRTTTimeout == .seconds(2))
        #expect(timing.scanDelay == .milliseconds(10))
        #expect(timing.minRate == 100 && timing.maxRate == 500, "--rate is --max-rate")
        #expect(try request(["-T0", "--max-scan-delay", "2s"]).timing.scanDelay == .seconds(2),
                "the template's 5-minute delay is capped")
        #expect(refusal(["--min-parallelism", "9", "--max-parallelism", "8"])?.contains("--min-parallelism") == true)
        #expect(refusal(["-sS", "--max-parallelism", "8"])?.contains("-sT") == true, "the raw engine has no window to bound")
        #expect(refusal(["--min-rtt-timeout", "2s", "--max-rtt-timeout", "1s"])?.contains("rtt") == true)
        #expect(refusal(["--scan-delay", "2s", "--max-scan-delay", "1s"])?.contains("--scan-delay") == true)
        #expect(refusal(["--max-parallelism", "0"])?.contains("--max-parallelism") == true)
        #expect(refusal(["--initial-rtt-timeout", "-1"])?.contains("--initial-rtt-timeout") == true)
        #expect(refusal(["--min-hostgroup", "0"])?.contains("--min-hostgroup") == true)
        #expect(refusal(["--min-rate", "600", "--rate", "500"])?.contains("--min-rate") == true)
    }

    @Test("--ttl, --badsum, -g, -S and -e reach the request with nmap's meaning, and bad values are refused in one line")
    func evasionFlags() throws {
        #expect(try request([]).packets == .standard)
        let shaped = try request(["--ttl", "7", "--badsum", "-g", "53", "-S", "198.18.0.9", "-e", "lo", "-sS", "198.18.0.2"])
        #expect(shaped.packets == PacketOptions(ttl: 7, badChecksum: true, sourcePort: 53,
                                                sourceAddress: IPAddress("198.18.0.9"), interface: "lo"))
        #expect(try request(["--source-port", "65535"]).packets.sourcePort == 65535)
        #expect(try request(["--ttl", "0"]).packets.ttl == 0)
        #expect(try request(["-S", "2001:2::9", "2001:2::2"]).packets.sourceAddress == IPAddress("2001:2::9"))
        for (arguments, mention) in [(["--ttl", "256"], "--ttl"), (["--ttl", "-1"], "--ttl"), (["-g", "0"], "-g"),
                                     (["--source-port", "70000"], "-g"), (["-S", "300.1.1.1"], "-S"),
                                     (["-S", "2001:2::9", "198.18.0.2"], "198.18.0.2"),
                                     (["-S", "198.18.0.9", "2001:2::2"], "2001:2::2"), (["-6", "-S", "198.18.0.9"], "-6"),
                                     (["-e", "no-such-if0"], "no-such-if0"), (["-sT", "--badsum"], "--badsum")] {
            let line = refusal(arguments)
            #expect(line?.contains(mention) == true, "\(arguments): \(line ?? "accepted")")
            #expect(line?.contains("\n") == false)
        }
    }

    @Test("-v and -d each raise the notices one level")
    func verbosity() throws {
        #expect(try PortgridCommand.parse(["-v", "-dd"]).verbosity == 3)
        #expect(try PortgridCommand.parse([]).verbosity == 0)
    }

    @Test("every flag refused is marked so in its help, and every help that says so is refused")
    func refusalsMatchTheHelp() throws {
        let help = PortgridCommand.helpMessage(columns: 1000)
        let marked = help.split(separator: "\n").filter { $0.contains("(refused") }
        #expect(marked.count == UnsupportedFlags.all(try PortgridCommand.parse([])).count)
    }
}

/// nmap's joined spellings become what the parser reads, and nothing else changes.
@Suite("nmap spellings")
struct NmapSpellingsTests {
    @Test("a port list joined to -PS/-PA/-PU is split off; the flag alone gets nmap's default; values and -- are left alone")
    func normalize() {
        #expect(NmapSpellings.normalize(["-PS22,80", "-PA", "-PE"]) == ["-PS", "22,80", "-PA", "", "-PE"])
        #expect(NmapSpellings.normalize(["-PA", "443", "198.18.0.2"]) == ["-PA", "443", "198.18.0.2"])
        #expect(NmapSpellings.normalize(["-oN", "-PS22", "--", "-PS9"]) == ["-oN", "-PS22", "--", "-PS9"])
        #expect(NmapSpellings.normalize(["-PS", "198.18.0.2"]) == ["-PS", "", "198.18.0.2"])
        #expect(NmapSpellings.normalize(["-d2", "-d"]) == ["-d", "-d", "-d"])
    }
}
