/// IPv4 address -> host number, as an open-addressing hash table of the numbers alone: the address
/// of a number is read from the caller's own array (`address`), so a slot is 4 bytes. A /16 is
/// 512 KB (1 MB while it grows), where a `[UInt32: Int32]` was 1 MB (1.5 MB while it grew).
/// Linear probing, at most three quarters full.
struct IPv4NumberTable: Sendable {
    private static let empty: Int32 = -1
    private var slots: [Int32] = []
    private(set) var count = 0

    init() {}

    /// The number stored for `key`, if any; `address` gives a stored number's address.
    func number(of key: UInt32, address: (Int32) -> UInt32) -> Int32? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = Self.home(key, mask)
        while true {
            let number = slots[slot]
            if number == Self.empty { return nil }
            if address(number) == key { return number }
            slot = (slot + 1) & mask
        }
    }

    /// Stores `number` for `key`, which must not be stored yet.
    mutating func insert(_ number: Int32, for key: UInt32, address: (Int32) -> UInt32) {
        if (count + 1) * 4 > slots.count * 3 { grow(address: address) }
        place(number, key)
        count += 1
    }

    /// Room for `count` numbers in all, made now: a table filled up from empty doubles its way
    /// there, each doubling holding the old slots beside the new.
    mutating func reserve(_ count: Int, address: (Int32) -> UInt32) {
        var size = Swift.max(16, slots.count)
        while count * 4 > size * 3 { size *= 2 }
        if size > slots.count { resize(to: size, address: address) }
    }

    private mutating func grow(address: (Int32) -> UInt32) {
        resize(to: max(16, slots.count * 2), address: address)
    }

    /// `size` slots (a power of two), every stored number placed again.
    private mutating func resize(to size: Int, address: (Int32) -> UInt32) {
        let old = slots
        slots = [Int32](repeating: Self.empty, count: size)
        for number in old where number != Self.empty { place(number, address(number)) }
    }

    private mutating func place(_ number: Int32, _ key: UInt32) {
        let mask = slots.count - 1
        var slot = Self.home(key, mask)
        while slots[slot] != Self.empty { slot = (slot + 1) & mask }
        slots[slot] = number
    }

    /// Fibonacci hashing: consecutive addresses (a block) spread over the table.
    private static func home(_ key: UInt32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }
}
