import Testing
@testable import TUI

@Suite struct InputLineTests {
    func typed(_ text: String, into line: inout InputLine) {
        for c in text { _ = line.handle(.char(c)) }
    }

    @Test func editsAtTheCursor() {
        var line = InputLine(.ports, text: "1-100")
        #expect(line.cursor == 5)
        _ = line.handle(.home)
        typed("22,", into: &line)
        #expect(line.string == "22,1-100")
        _ = line.handle(.end)
        _ = line.handle(.backspace)
        _ = line.handle(.backspace)
        typed("24", into: &line)
        #expect(line.string == "22,1-124")
        _ = line.handle(.left)
        _ = line.handle(.left)
        _ = line.handle(.delete)
        #expect(line.string == "22,1-14")
        #expect(line.cursor == 6)
    }

    @Test func ctrlUClearsToTheStartAndCtrlKToTheEnd() {
        var line = InputLine(.targets, text: "198.18.0.0/24 10.0.0.1")
        for _ in 0..<9 { _ = line.handle(.left) }
        _ = line.handle(.ctrl("u"))
        #expect(line.string == " 10.0.0.1")
        #expect(line.cursor == 0)
        _ = line.handle(.right)
        _ = line.handle(.ctrl("k"))
        #expect(line.string == " ")
    }

    @Test func cursorStaysInsideTheText() {
        var line = InputLine(.filter, text: "ab")
        for _ in 0..<5 { _ = line.handle(.right) }
        #expect(line.cursor == 2)
        for _ in 0..<5 { _ = line.handle(.left) }
        #expect(line.cursor == 0)
        _ = line.handle(.backspace)
        #expect(line.string == "ab")
    }

    @Test func enterSubmitsAndEscapeCancels() {
        var line = InputLine(.filter, text: "open")
        #expect(line.handle(.enter) == .submitted("open"))
        #expect(line.handle(.escape) == .cancelled)
    }

    @Test func editingClearsAnOldComplaint() {
        var line = InputLine(.ports, text: "70000")
        line.error = "invalid port"
        _ = line.handle(.backspace)
        #expect(line.error == nil)
    }
}
