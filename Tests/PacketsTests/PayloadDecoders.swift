/// Minimal, independent decoders the payload tests use to check structure. They are written
/// from the specs, not from the encoders, so an encoder bug cannot hide behind its own mirror.

/// A DNS message with one question (RFC 1035 §4.1).
struct DNSQuestionMessage: Equatable {
    var id: UInt16, flags: UInt16, qdCount: UInt16, anCount: UInt16, nsCount: UInt16, arCount: UInt16
    var labels: [String]
    var type: UInt16, qclass: UInt16

    /// Nil unless the bytes are exactly a header plus one uncompressed question.
    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 12 else { return nil }
        func word(_ i: Int) -> UInt16 { UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) }
        (id, flags, qdCount, anCount, nsCount, arCount) = (word(0), word(2), word(4), word(6), word(8), word(10))
        var offset = 12
        labels = []
        while true {
            guard offset < bytes.count else { return nil }
            let length = Int(bytes[offset])
            offset += 1
            if length == 0 { break }
            guard length < 64, offset + length <= bytes.count else { return nil }
            labels.append(String(decoding: bytes[offset..<offset + length], as: UTF8.self))
            offset += length
        }
        guard offset + 4 == bytes.count else { return nil }
        (type, qclass) = (word(offset), word(offset + 2))
    }
}

/// A BER TLV tree (X.690, definite lengths only).
indirect enum BERNode: Equatable {
    case primitive(tag: UInt8, content: [UInt8])
    case constructed(tag: UInt8, children: [BERNode])

    /// Decodes exactly one node spanning all of `bytes`; nil on any inconsistency.
    static func decode(_ bytes: [UInt8]) -> BERNode? {
        var offset = 0
        guard let node = decode(bytes, at: &offset), offset == bytes.count else { return nil }
        return node
    }

    private static func decode(_ bytes: [UInt8], at offset: inout Int) -> BERNode? {
        guard offset + 2 <= bytes.count else { return nil }
        let tag = bytes[offset]
        var length = Int(bytes[offset + 1])
        offset += 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count > 0, count <= 2, offset + count <= bytes.count else { return nil }
            length = bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
            offset += count
        }
        guard offset + length <= bytes.count else { return nil }
        let content = Array(bytes[offset..<offset + length])
        offset += length
        guard tag & 0x20 != 0 else { return .primitive(tag: tag, content: content) }
        var children = [BERNode]()
        var inner = 0
        while inner < content.count {
            guard let child = decode(content, at: &inner) else { return nil }
            children.append(child)
        }
        return .constructed(tag: tag, children: children)
    }
}

func words32(_ bytes: [UInt8]) -> [UInt32] {
    stride(from: 0, to: bytes.count - 3, by: 4).map { i in
        bytes[i..<i + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}

func word16(_ bytes: [UInt8], _ offset: Int) -> UInt16 { UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1]) }
