/// Runs a typed-throwing parser over an array's bytes without copying them.
///
/// `Array.withUnsafeBytes` is `rethrows`, which would erase `PacketError` to `any Error`; this
/// wrapper keeps the error typed so public `[UInt8]` conveniences match their pointer twins.
@inline(__always)
func withBorrowedBytes<Result>(
    _ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws(PacketError) -> Result
) throws(PacketError) -> Result {
    let outcome: Swift.Result<Result, PacketError> = bytes.withUnsafeBytes { raw in
        do throws(PacketError) { return .success(try body(raw)) } catch { return .failure(error) }
    }
    return try outcome.get()
}
