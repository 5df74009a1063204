/// One bit per (host, port index): set once the pair has its final state. A /16 by 1,000 ports is
/// 8 MB, and the bits are all the per-probe state a stateless scan keeps.
struct AnsweredBitmap: Sendable {
    let hostCount: Int
    let itemCount: Int
    private let wordsPerHost: Int
    private var words: [UInt64]
    private(set) var setCount = 0

    init(hostCount: Int, itemCount: Int) {
        self.hostCount = hostCount
        self.itemCount = itemCount
        wordsPerHost = (itemCount + 63) / 64
        words = [UInt64](repeating: 0, count: hostCount * wordsPerHost)
    }

    func contains(host: Int, item: Int) -> Bool {
        words[host * wordsPerHost + item >> 6] & (1 << UInt64(item & 63)) != 0
    }

    /// Sets the bit; true when it was clear.
    @discardableResult
    mutating func insert(host: Int, item: Int) -> Bool {
        let index = host * wordsPerHost + item >> 6
        let bit: UInt64 = 1 << UInt64(item & 63)
        guard words[index] & bit == 0 else { return false }
        words[index] |= bit
        setCount += 1
        return true
    }

    /// Items of `host` whose bit is clear, ascending.
    func unanswered(host: Int) -> [Int] {
        var result: [Int] = []
        for word in 0..<wordsPerHost {
            var clear = ~words[host * wordsPerHost + word]
            while clear != 0 {
                let item = word * 64 + clear.trailingZeroBitCount
                guard item < itemCount else { break }
                result.append(item)
                clear &= clear - 1
            }
        }
        return result
    }

    func unansweredCount(host: Int) -> Int {
        var set = 0
        for word in 0..<wordsPerHost { set += words[host * wordsPerHost + word].nonzeroBitCount }
        return itemCount - set
    }
}
