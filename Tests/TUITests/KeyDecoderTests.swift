import CNcursesw
import Testing
@testable import TUI

@Suite struct KeyDecoderTests {
    @Test func functionKeys() {
        #expect(KeyDecoder.decode(functionKey: KEY_UP) == .up)
        #expect(KeyDecoder.decode(functionKey: KEY_NPAGE) == .pageDown)
        #expect(KeyDecoder.decode(functionKey: KEY_PPAGE) == .pageUp)
        #expect(KeyDecoder.decode(functionKey: KEY_BACKSPACE) == .backspace)
        #expect(KeyDecoder.decode(functionKey: KEY_BTAB) == .backTab)
        #expect(KeyDecoder.decode(functionKey: KEY_F0 + 1) == nil)
    }

    @Test func controlAndPrintableCharacters() {
        #expect(KeyDecoder.decode(character: 3) == .ctrl("c"))
        #expect(KeyDecoder.decode(character: 21) == .ctrl("u"))
        #expect(KeyDecoder.decode(character: 9) == .tab)
        #expect(KeyDecoder.decode(character: 13) == .enter)
        #expect(KeyDecoder.decode(character: 27) == .escape)
        #expect(KeyDecoder.decode(character: 127) == .backspace)
        #expect(KeyDecoder.decode(character: UInt32(UInt8(ascii: "q"))) == .char("q"))
        #expect(KeyDecoder.decode(character: 0xE9) == .char("é"))
        #expect(KeyDecoder.decode(character: 0) == nil)
    }
}
