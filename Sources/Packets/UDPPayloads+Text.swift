/// Text-protocol payloads: HTTP-over-UDP discovery (SSDP) and SIP. Lines end in CRLF as both
/// grammars require, and each message ends with the empty line that closes the headers.
extension UDPPayloads {
    /// 1900: SSDP M-SEARCH for every device and service (UPnP Device Architecture 2.0 §1.3.2).
    public static let ssdpSearch: [UInt8] = crlfLines([
        "M-SEARCH * HTTP/1.1",
        "HOST: 239.255.255.250:1900",
        "MAN: \"ssdp:discover\"",
        "MX: 1",
        "ST: ssdp:all",
    ])

    /// 5060: SIP OPTIONS (RFC 3261 §11): the "are you there, what can you do" request. The Via
    /// branch starts with the RFC 3261 magic cookie "z9hG4bK"; `rport` (RFC 3581) asks for the
    /// reply to come back to our actual source port.
    public static let sipOptions: [UInt8] = crlfLines([
        "OPTIONS sip:portgrid SIP/2.0",
        "Via: SIP/2.0/UDP portgrid;branch=z9hG4bK-portgrid-1;rport",
        "Max-Forwards: 70",
        "From: <sip:portgrid@portgrid>;tag=portgrid",
        "To: <sip:portgrid@portgrid>",
        "Call-ID: portgrid-50470001",
        "CSeq: 1 OPTIONS",
        "Contact: <sip:portgrid@portgrid>",
        "Accept: application/sdp",
        "Content-Length: 0",
    ])

    /// Joins lines with CRLF and adds the blank line that ends a header block.
    static func crlfLines(_ lines: [String]) -> [UInt8] {
        Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }
}
