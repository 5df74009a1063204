import Foundation
import Testing
@testable import Report

@Suite("JSON values read back from reports")
struct JSONValueTests {
    @Test("each JSON type reads as itself and as nothing else")
    func typesReadAsThemselves() throws {
        let value = try #require(JSONValue.parse(Array(#"{"s": "a", "i": 3, "f": 1.5, "b": true, "n": null, "l": ["x", "y"], "o": {"k": [1, 2]}}"#.utf8)))
        #expect(value["s"]?.string == "a" && value["s"]?.int == nil)
        #expect(value["i"]?.int == 3 && value["i"]?.double == 3 && value["i"]?.string == nil)
        #expect(value["f"]?.double == 1.5 && value["f"]?.int == nil)
        #expect(value["b"]?.bool == true && value["b"]?.int == nil)
        #expect(value["n"]?.isNull == true && value["missing"] == nil)
        #expect(value["l"]?.strings == ["x", "y"] && value["l"]?.ints == nil)
        #expect(value["o"]?["k"]?.ints == [1, 2])
        #expect(value["s"]?["k"] == nil)
    }

    @Test("text that is not JSON parses as nothing")
    func notJSONIsNothing() {
        #expect(JSONValue.parse(Array("{\"a\": ".utf8)) == nil)
        #expect(JSONValue.parse(Array("<nmaprun>".utf8)) == nil)
    }

    @Test("a value quoted in a message reads as the JSON held it")
    func messagesQuoteTheValue() {
        #expect(JSONValue.number(0).description == "0")
        #expect(JSONValue.number(2.5).description == "2.5")
        #expect(JSONValue.string("x").description == "x")
        #expect(JSONValue.null.description == "null")
    }
}
