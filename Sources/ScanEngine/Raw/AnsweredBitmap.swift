/// One bit per (host, port index): set once the pair has its final state. A /16 by 1,000 ports is
/// 8 MB, and the bits are all the per-probe state a stateless scan keeps. The bits are packed host
/// after host with no padding (pair `host * itemCount + item`), so a one-item scan (a ping sweep, one
/// port) takes a bit a host, 8 KB for a /16, not a 64-bit word a host (512 KB).
struct AnsweredBitmap: Sendable {
    let hostCount: Int
    let itemCount: Int
    private var words: [UInt64]
    private(set) var setCount = 0

    init(hostCount: Int, itemCount: Int) {
        self.hostCount = hostCount
        self.itemCount = itemCount
        words = [UInt64](repeating: 0, count: (hostCount * itemCount + 63) / 64)
    }

    func contains(host: Int, item: Int) -> Bool {
        let bit = host * itemCount + item
        return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    /// Sets the bit; true when it was clear.
    @discardableResult
    mutating func insert(host: Int, item: Int) -> Bool {
        let bit = host * itemCount + item
        let mask: UInt64 = 1 << UInt64(bit & 63)
        guard words[bit >> 6] & mask == 0 else { return false }
        words[bit >> 6] |= mask
        setCount += 1
        return true
    }

    /// Items of `host` whose bit is clear, ascending.
    func unanswered(host: Int) -> [Int] {
        var result: [Int] = []
        let first = host * itemCount
        forEachWord(of: host) { word, mask in
            var clear = ~words[word] & mask
            while clear != 0 {
                result.append(word * 64 + clear.trailingZeroBitCount - first)
                clear &= clear - 1
            }
        }
        return result
    }

    func unansweredCount(host: Int) -> Int {
        var set = 0
        forEachWord(of: host) { word, mask in set += (words[word] & mask).nonzeroBitCount }
        return itemCount - set
    }

    /// The words holding `host`'s bits, each with the mask of the bits that are the host's (its
    /// first and last words are shared with its neighbours).
    private func forEachWord(of host: Int, _ body: (_ word: Int, _ mask: UInt64) -> Void) {
        guard itemCount > 0 else { return }
        let first = host * itemCount, last = first + itemCount - 1
        for word in first >> 6 ... last >> 6 {
            var mask = UInt64.max
            if word == first >> 6 { mask &= UInt64.max << UInt64(first & 63) }
            if word == last >> 6 { mask &= UInt64.max >> UInt64(63 - last & 63) }
            body(word, mask)
        }
    }
}
