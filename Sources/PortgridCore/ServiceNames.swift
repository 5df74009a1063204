/// Service names per port, so tables read "ssh" rather than "22" without a network or a file.
/// The system's services database, where present, is layered on top by the caller (`merging`).
public struct ServiceNames: Sendable {
    private var tcp: PortNameTable
    private var udp: PortNameTable

    public init(tcp: [UInt16: String], udp: [UInt16: String]) {
        self.init(tcp: PortNameTable(tcp), udp: PortNameTable(udp))
    }

    init(tcp: PortNameTable, udp: PortNameTable) {
        self.tcp = tcp
        self.udp = udp
    }

    public static let builtIn = ServiceNames(tcp: builtInTCP, udp: builtInUDP)

    public func name(port: UInt16, proto: TransportProtocol) -> String? {
        proto == .tcp ? tcp.name(port) : udp.name(port)
    }

    /// Our table wins where both name a port, so names stay the same on every machine;
    /// the system file adds what we do not know.
    public func merging(_ other: ServiceNames) -> ServiceNames {
        ServiceNames(tcp: .union(tcp, over: other.tcp), udp: .union(udp, over: other.udp))
    }

    /// Parses the /etc/services format: `name port/proto [aliases...] [# comment]`; the first name given
    /// a (port, protocol) wins. The rules, in full, are `ServicesFileParser`'s.
    public static func parse(servicesFile text: String) -> ServiceNames {
        var text = text
        return text.withUTF8 { parse(servicesFile: UnsafeRawBufferPointer($0)) }
    }

    /// The same, straight from the file's bytes (UTF-8), with no String made of the whole file.
    public static func parse(servicesFile bytes: [UInt8]) -> ServiceNames {
        bytes.withUnsafeBytes { parse(servicesFile: $0) }
    }

    /// The same, from bytes borrowed for the call (a file's `Data`, a mapped region).
    public static func parse(servicesFile bytes: UnsafeRawBufferPointer) -> ServiceNames {
        ServicesFileParser.parse(bytes)
    }

    /// Name to port, for `-p http,ssh`.
    public static func port(named name: String) -> UInt16? {
        builtInByName[name]
    }

    private static let builtInByName: [String: UInt16] = {
        var byName: [String: UInt16] = [:]
        for (port, name) in builtInTCP where byName[name] == nil || port < byName[name]! { byName[name] = port }
        for (port, name) in builtInUDP where byName[name] == nil { byName[name] = port }
        return byName
    }()

    static let builtInTCP: [UInt16: String] = [
        7: "echo", 9: "discard", 13: "daytime", 19: "chargen", 20: "ftp-data", 21: "ftp", 22: "ssh",
        23: "telnet", 25: "smtp", 37: "time", 43: "whois", 49: "tacacs", 53: "domain", 70: "gopher",
        79: "finger", 80: "http", 81: "hosts2-ns", 88: "kerberos-sec", 106: "pop3pw", 110: "pop3",
        111: "rpcbind", 113: "ident", 119: "nntp", 123: "ntp", 135: "msrpc", 137: "netbios-ns",
        138: "netbios-dgm", 139: "netbios-ssn", 143: "imap", 161: "snmp", 179: "bgp", 199: "smux",
        389: "ldap", 427: "svrloc", 443: "https", 444: "snpp", 445: "microsoft-ds", 464: "kpasswd5",
        465: "smtps", 497: "retrospect", 500: "isakmp", 513: "login", 514: "shell", 515: "printer",
        543: "klogin", 544: "kshell", 548: "afp", 554: "rtsp", 587: "submission", 631: "ipp",
        636: "ldapssl", 646: "ldp", 873: "rsync", 902: "iss-realsecure", 989: "ftps-data", 990: "ftps",
        992: "telnets", 993: "imaps", 994: "ircs", 995: "pop3s", 1025: "NFS-or-IIS", 1080: "socks",
        1194: "openvpn", 1433: "ms-sql-s", 1434: "ms-sql-m", 1521: "oracle", 1701: "l2f", 1720: "h323q931",
        1723: "pptp", 1755: "wms", 1883: "mqtt", 1900: "upnp", 2000: "cisco-sccp", 2049: "nfs",
        2121: "ccproxy-ftp", 2375: "docker", 2376: "docker-s", 3000: "ppp", 3128: "squid-http",
        3260: "iscsi", 3268: "globalcatLDAP", 3306: "mysql", 3389: "ms-wbt-server", 3690: "svn",
        4444: "krb524", 4500: "nat-t-ike", 5000: "upnp", 5060: "sip", 5061: "sip-tls", 5222: "xmpp-client",
        5269: "xmpp-server", 5353: "mdns", 5432: "postgresql", 5601: "kibana", 5672: "amqp",
        5900: "vnc", 5985: "wsman", 5986: "wsmans", 6000: "X11", 6379: "redis", 6443: "kubernetes",
        6667: "irc", 6697: "ircs-u", 7001: "afs3-callback", 7474: "neo4j", 8000: "http-alt",
        8008: "http", 8080: "http-proxy", 8081: "blackice-icecap", 8443: "https-alt", 8888: "sun-answerbook",
        9000: "cslistener", 9042: "cassandra", 9090: "zeus-admin", 9092: "kafka", 9100: "jetdirect",
        9200: "wap-wsp", 9418: "git", 9999: "abyss", 10000: "snet-sensor-mgmt", 10250: "kubelet",
        11211: "memcache", 15672: "rabbitmq-mgmt", 27017: "mongod", 31337: "Elite", 61616: "activemq",
    ]

    static let builtInUDP: [UInt16: String] = [
        7: "echo", 9: "discard", 13: "daytime", 19: "chargen", 37: "time", 49: "tacacs", 53: "domain",
        67: "dhcps", 68: "dhcpc", 69: "tftp", 88: "kerberos-sec", 111: "rpcbind", 123: "ntp",
        135: "msrpc", 137: "netbios-ns", 138: "netbios-dgm", 139: "netbios-ssn", 161: "snmp",
        162: "snmptrap", 177: "xdmcp", 389: "ldap", 427: "svrloc", 445: "microsoft-ds", 464: "kpasswd5",
        500: "isakmp", 514: "syslog", 520: "route", 623: "asf-rmcp", 631: "ipp", 1194: "openvpn",
        1434: "ms-sql-m", 1701: "L2TP", 1812: "radius", 1813: "radacct", 1900: "upnp", 2049: "nfs",
        3478: "stun", 4500: "nat-t-ike", 5060: "sip", 5353: "zeroconf", 5355: "llmnr", 11211: "memcache",
        51820: "wireguard",
    ]
}
