/// One classic BPF instruction, field for field as the kernel's `struct sock_filter`.
struct BPFInstruction: Hashable, Sendable {
    var code: UInt16
    var jt: UInt8
    var jf: UInt8
    var k: UInt32

    // Opcode parts (linux/bpf_common.h), spelled out: Glibc does not export them to Swift.
    static let ld: UInt16 = 0x00, ldx: UInt16 = 0x01, jmp: UInt16 = 0x05, ret: UInt16 = 0x06
    static let word: UInt16 = 0x00, half: UInt16 = 0x08, byte: UInt16 = 0x10
    static let abs: UInt16 = 0x20, ind: UInt16 = 0x40, msh: UInt16 = 0xA0
    static let jeq: UInt16 = 0x10, jgt: UInt16 = 0x20, jge: UInt16 = 0x30, jset: UInt16 = 0x40
    /// Offset of the kernel's ancillary loads, and the one for the packet type (SKF_AD_PKTTYPE).
    static let ancillaryPacketType = UInt32(bitPattern: -0x1000) + 4
}

/// The receive socket's kernel filter, so the scan thread only ever sees packets that may answer
/// a probe: not outgoing, not a later fragment, and TCP or UDP to our source-port block, ICMP
/// destination-unreachable (quoting a probe), or an echo or timestamp reply with our identifier. The cookie
/// check in `ReplyClassifier` does the rest. Built as data, with labels resolved here, so it is
/// tested by running it.
enum PacketFilterProgram {
    /// `sll_pkttype` of a packet this host sent (PACKET_OUTGOING).
    static let outgoingPacketType: UInt32 = 4
    /// What `ret` keeps of an accepted packet: all of it.
    static let acceptLength: UInt32 = 0x40000

    static func replies(to ports: SourcePortRange, echoIdentifier: UInt16) -> [BPFInstruction] {
        var program = Assembler()
        typealias I = BPFInstruction
        program.load(I.ld | I.word | I.abs, I.ancillaryPacketType)
        program.jump(I.jeq, outgoingPacketType, onTrue: "drop", onFalse: nil)
        program.load(I.ld | I.half | I.abs, 6)  // flags and fragment offset
        program.jump(I.jset, 0x1FFF, onTrue: "drop", onFalse: nil)
        program.load(I.ld | I.byte | I.abs, 9)  // protocol
        program.jump(I.jeq, 6, onTrue: "ports", onFalse: nil)
        program.jump(I.jeq, 17, onTrue: "ports", onFalse: nil)
        program.jump(I.jeq, 1, onTrue: "icmp", onFalse: "drop")
        program.label("ports")
        program.load(I.ldx | I.byte | I.msh, 0)  // X = IP header length
        program.load(I.ld | I.half | I.ind, 2)  // destination port
        program.jump(I.jge, UInt32(ports.lowerBound), onTrue: nil, onFalse: "drop")
        program.jump(I.jgt, UInt32(ports.upperBound), onTrue: "drop", onFalse: "accept")
        program.label("icmp")
        program.load(I.ldx | I.byte | I.msh, 0)
        program.load(I.ld | I.byte | I.ind, 0)  // ICMP type
        program.jump(I.jeq, 3, onTrue: "accept", onFalse: nil)
        program.jump(I.jeq, 0, onTrue: "identifier", onFalse: nil)
        program.jump(I.jeq, 14, onTrue: nil, onFalse: "drop")  // timestamp reply (-PP)
        program.label("identifier")
        program.load(I.ld | I.half | I.ind, 4)  // echo (or timestamp) identifier
        program.jump(I.jeq, UInt32(echoIdentifier), onTrue: "accept", onFalse: "drop")
        program.label("accept")
        program.load(I.ret, acceptLength)
        program.label("drop")
        program.load(I.ret, 0)
        return program.resolved()
    }

    /// The IPv6 twin, for a socket bound to ETH_P_IPV6: not outgoing; TCP or UDP (right after the
    /// fixed header) to our source-port block; ICMPv6 destination unreachable, a neighbour
    /// advertisement (proof of life on the link, for discovery), or an echo reply with our
    /// identifier. A packet with extension headers is passed whole: classic BPF cannot walk the
    /// chain, the classifier does (`IPv6Extensions`), and such replies are rare.
    static func ipv6Replies(to ports: SourcePortRange, echoIdentifier: UInt16) -> [BPFInstruction] {
        var program = Assembler()
        typealias I = BPFInstruction
        program.load(I.ld | I.word | I.abs, I.ancillaryPacketType)
        program.jump(I.jeq, outgoingPacketType, onTrue: "drop", onFalse: nil)
        program.load(I.ld | I.byte | I.abs, 6)  // next header
        program.jump(I.jeq, 6, onTrue: "ports", onFalse: nil)
        program.jump(I.jeq, 17, onTrue: "ports", onFalse: nil)
        program.jump(I.jeq, 58, onTrue: "icmp", onFalse: nil)
        for extensionHeader: UInt32 in [0, 43, 44, 51] {
            program.jump(I.jeq, extensionHeader, onTrue: "accept", onFalse: nil)
        }
        program.jump(I.jeq, 60, onTrue: "accept", onFalse: "drop")
        program.label("ports")
        program.load(I.ld | I.half | I.abs, 42)  // destination port
        program.jump(I.jge, UInt32(ports.lowerBound), onTrue: nil, onFalse: "drop")
        program.jump(I.jgt, UInt32(ports.upperBound), onTrue: "drop", onFalse: "accept")
        program.label("icmp")
        program.load(I.ld | I.byte | I.abs, 40)  // ICMPv6 type
        program.jump(I.jeq, 1, onTrue: "accept", onFalse: nil)
        program.jump(I.jeq, 136, onTrue: "accept", onFalse: nil)
        program.jump(I.jeq, 129, onTrue: nil, onFalse: "drop")
        program.load(I.ld | I.half | I.abs, 44)  // echo identifier
        program.jump(I.jeq, UInt32(echoIdentifier), onTrue: "accept", onFalse: "drop")
        program.label("accept")
        program.load(I.ret, acceptLength)
        program.label("drop")
        program.load(I.ret, 0)
        return program.resolved()
    }

    /// Labels to relative jump offsets; a nil target means the next instruction.
    private struct Assembler {
        private var code: [(BPFInstruction, String?, String?)] = []
        private var labels: [String: Int] = [:]

        mutating func load(_ opcode: UInt16, _ k: UInt32) {
            code.append((BPFInstruction(code: opcode, jt: 0, jf: 0, k: k), nil, nil))
        }

        mutating func jump(_ test: UInt16, _ k: UInt32, onTrue: String?, onFalse: String?) {
            code.append((BPFInstruction(code: BPFInstruction.jmp | test, jt: 0, jf: 0, k: k), onTrue, onFalse))
        }

        mutating func label(_ name: String) { labels[name] = code.count }

        func resolved() -> [BPFInstruction] {
            code.enumerated().map { index, entry in
                var instruction = entry.0
                func offset(_ label: String?) -> UInt8 {
                    guard let label, let target = labels[label] else { return 0 }
                    precondition(target > index && target - index - 1 <= 255, "BPF jump out of range")
                    return UInt8(target - index - 1)
                }
                instruction.jt = offset(entry.1)
                instruction.jf = offset(entry.2)
                return instruction
            }
        }
    }
}
