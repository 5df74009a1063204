/// How much of each batch the second send thread gets. The caller does more than send between
/// batches (it receives, classifies and builds the next one), so an even split leaves the helper
/// idle part of the time. The share grows while the helper is found done when the next batch is
/// ready and shrinks when the caller has to wait for it, settling where both stay busy.
struct RawSendSplit: Sendable, Equatable {
    /// In 64ths of a batch.
    private(set) var share = 32
    static let least = 16
    static let most = 56
    static let step = 2

    /// The helper's part of a batch of `count`: the back `part(of:)` packets.
    func part(of count: Int) -> Int { count * share / 64 }

    /// The helper's last part was done before the caller came back: give it more.
    mutating func helperWasIdle() { share = min(Self.most, share + Self.step) }

    /// The caller had to wait for the helper's last part: give it less.
    mutating func helperWasBusy() { share = max(Self.least, share - Self.step) }
}
