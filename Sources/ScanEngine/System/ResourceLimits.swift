/// Process resource limits the scan depends on.
struct ResourceLimits {
    let system: any SystemCalls

    /// Above this the soft limit is not raised: the connect window never needs more descriptors, and
    /// a huge limit only costs memory in per-descriptor tables.
    static let enoughDescriptors: UInt64 = 1 << 16

    /// Raises RLIMIT_NOFILE's soft limit toward the hard limit (every open socket is a descriptor;
    /// the usual soft limit of 1024 would cap the scan at a few hundred connects in flight).
    /// Returns the soft limit in force afterwards; if raising fails, the old limit stands.
    @discardableResult
    func raiseFileLimit() -> Int {
        guard let (soft, hard) = try? system.fileLimit() else { return 1024 }
        let wanted = Swift.min(hard, Self.enoughDescriptors)
        guard wanted > soft else { return Int(clamping: soft) }
        do {
            try system.setFileLimit(soft: wanted, hard: hard)
            return Int(clamping: wanted)
        } catch {
            return Int(clamping: soft)
        }
    }
}
