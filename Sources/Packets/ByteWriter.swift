/// Big-endian field-by-field serialization into a byte array.
///
/// Headers are written one field at a time rather than by copying a struct's memory: a Swift
/// struct's layout (padding, field order, endianness) is not a wire format.
extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt8) {
        append(value)
    }

    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    mutating func appendBigEndian(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    mutating func appendBigEndian(_ value: UInt128) {
        for shift in stride(from: 120, through: 0, by: -8) {
            append(UInt8(truncatingIfNeeded: value >> UInt128(shift)))
        }
    }

    /// Overwrites two bytes at `index` (used to patch a checksum in after the fact).
    /// The caller guarantees `index + 1 < count`: it only patches fields it has just written.
    mutating func storeBigEndian(_ value: UInt16, at index: Int) {
        self[index] = UInt8(truncatingIfNeeded: value >> 8)
        self[index + 1] = UInt8(truncatingIfNeeded: value)
    }
}
