/// A mouse event in screen cells: a left click, or one notch of the wheel.
struct Mouse: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case click, wheelUp, wheelDown }

    var kind: Kind
    var x: Int
    var y: Int
}
