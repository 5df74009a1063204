/// How much of each batch the second send thread gets. The caller does more than send between
/// batches (it receives, classifies and builds the next one), so an even split leaves the helper
/// idle part of the time. When the next batch is ready the share grows if the helper has nothing
/// left to send and shrinks if it still has more than the part it is on, settling where it always
/// has one part at hand.
struct RawSendSplit: Sendable, Equatable {
    /// In 64ths of a batch.
    private(set) var share = 32
    static let least = 16
    static let most = 56
    static let step = 2

    /// The helper's part of a batch of `count`: the back `part(of:)` packets.
    func part(of count: Int) -> Int { count * share / 64 }

    /// Adjusts the share to the parts the helper still had when the next batch was ready.
    mutating func batchReady(helperOutstanding parts: Int) {
        if parts == 0 {
            share = min(Self.most, share + Self.step)
        } else if parts > 1 {
            share = max(Self.least, share - Self.step)
        }
    }
}
