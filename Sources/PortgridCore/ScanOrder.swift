/// A pseudo-random permutation of 0..<count, so probes spread over hosts and ports (no host sees a
/// burst, no firewall sees a sweep in order) without a shuffled list in memory: a keyed Feistel
/// network over the next power of two, walking cycles until it lands inside the range.
///
/// `-r` asks for no randomisation: `sequential` walks the elements as a table of `rows` rows read
/// column by column, so with the rows being hosts every host gets its first port, then its
/// second, and so on (nmap's `-r`: ports in order, hosts still side by side). With one row it is
/// the identity.
public struct ScanOrder: Sendable {
    public let count: UInt64
    private let halfBits: UInt64
    private let halfMask: UInt64
    private let keys: (UInt64, UInt64, UInt64, UInt64)
    /// Rows of the sequential walk; nil for the seeded permutation.
    private let sequentialRows: UInt64?

    public init(count: UInt64, seed: UInt64, sequentialRows: UInt64? = nil) {
        self.count = count
        self.sequentialRows = sequentialRows.map { Swift.max(1, $0) }
        var bits: UInt64 = 2
        while bits < 64 && (UInt64(1) << bits) < count { bits += 2 }
        halfBits = bits / 2
        halfMask = (UInt64(1) << halfBits) - 1
        var state = seed
        keys = (SplitMix64.next(&state), SplitMix64.next(&state), SplitMix64.next(&state), SplitMix64.next(&state))
    }

    /// The i-th element of the permutation, i < count.
    public func element(_ index: UInt64) -> UInt64 {
        precondition(index < count)
        if let rows = sequentialRows {
            let columns = count / rows
            return rows * columns == count ? (index % rows) * columns + index / rows : index
        }
        var value = index
        repeat { value = permute(value) } while value >= count
        return value
    }

    /// The indices this shard owns, in permutation order: every N-th position, offset I-1.
    public func indices(shard: Shard) -> some Sequence<UInt64> {
        stride(from: UInt64(shard.index - 1), to: count, by: shard.count).lazy.map { self.element($0) }
    }

    private func permute(_ value: UInt64) -> UInt64 {
        var left = value >> halfBits, right = value & halfMask
        for key in [keys.0, keys.1, keys.2, keys.3] {
            let mixed = SplitMix64.mix(right ^ key) & halfMask
            (left, right) = (right, left ^ mixed)
        }
        return left << halfBits | right
    }
}

/// A tiny, fast, seedable generator: deterministic scan orders and probe cookies.
public enum SplitMix64 {
    public static func next(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    public static func mix(_ input: UInt64) -> UInt64 {
        var z = input
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
