import FoundationEssentials

/// A JSON document as values, for the readers of portgrid's own reports (`merge`, `--resume`,
/// `view`): decoded by FoundationEssentials' `JSONDecoder`, so the executable needs no
/// `JSONSerialization` (and none of Foundation with it). Accessors answer nil for another type,
/// as a reader of a field of the wrong type should see it.
enum JSONValue: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// Parses `data`; nil when it is not JSON.
    static func parse(_ data: some Collection<UInt8>) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(data))
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var double: Double? { if case .number(let value) = self { value } else { nil } }
    /// A number with no fraction that fits an `Int`.
    var int: Int? { double.flatMap { Int(exactly: $0) } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var isNull: Bool { self == .null }
    /// An array whose every element is a string; nil if one is not.
    var strings: [String]? { array.flatMap { items in items.compactMap(\.string).count == items.count ? items.compactMap(\.string) : nil } }
    /// An array whose every element is a whole number; nil if one is not.
    var ints: [Int]? { array.flatMap { items in items.compactMap(\.int).count == items.count ? items.compactMap(\.int) : nil } }
    /// An array whose every element is an object; nil if one is not.
    var objects: [JSONValue]? { array.flatMap { items in items.allSatisfy { $0.object != nil } ? items : nil } }

    /// The value as a message quotes it: `1.5`, `3`, `text`, `true`, `null`, `[…]`, `{…}`.
    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): Int(exactly: value).map(String.init) ?? "\(value)"
        case .string(let value): value
        case .array: "[…]"
        case .object: "{…}"
        }
    }
}
