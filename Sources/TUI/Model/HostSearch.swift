import PortgridCore

/// The host search's match, made for 65,536 hosts a keystroke: an IPv4 address is spelled into a
/// buffer on the stack and searched byte by byte, with no String made per host (that took about
/// 0.2 s for a /16). Case-folded as the search box is: addresses are digits, names are lowered.
struct HostSearch: Sendable {
    private let needle: [UInt8]
    let text: String

    init(_ text: String) {
        self.text = text.lowercased()
        needle = Array(self.text.utf8)
    }

    func matches(_ address: IPAddress, name: String?) -> Bool {
        if case .v4(let v4) = address {
            if matches(v4) { return true }
        } else if address.description.contains(text) {
            return true
        }
        return name?.lowercased().contains(text) == true
    }

    private func matches(_ address: IPv4Address) -> Bool {
        guard needle.count <= 15 else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 15) { buffer in
            var length = 0
            for shift in stride(from: 24, through: 0, by: -8) {
                let octet = Int((address.value >> UInt32(shift)) & 0xFF)
                if octet >= 100 { buffer[length] = UInt8(ascii: "0") + UInt8(octet / 100); length += 1 }
                if octet >= 10 { buffer[length] = UInt8(ascii: "0") + UInt8(octet / 10 % 10); length += 1 }
                buffer[length] = UInt8(ascii: "0") + UInt8(octet % 10); length += 1
                if shift > 0 { buffer[length] = UInt8(ascii: "."); length += 1 }
            }
            guard needle.count <= length else { return false }
            search: for start in 0...(length - needle.count) {
                for (offset, byte) in needle.enumerated() where buffer[start + offset] != byte { continue search }
                return true
            }
            return false
        }
    }
}
