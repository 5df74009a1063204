import CNcursesw

/// What the terminal thread reads: a key, or a new size after KEY_RESIZE.
enum TerminalInput: Sendable, Equatable {
    case key(Key)
    case mouse(Mouse)
    case resize(ScreenSize)
    /// The terminal went away (pty closed, ssh dropped): there is no one left to draw for.
    case hangup
}

/// Turns what `wget_wch` returns into a Key: a function key code (KEY_CODE_YES) or a character.
/// Pure, so the mapping is tested without a terminal.
enum KeyDecoder {
    static func decode(functionKey code: Int32) -> Key? {
        switch code {
        case KEY_UP: .up
        case KEY_DOWN: .down
        case KEY_LEFT: .left
        case KEY_RIGHT: .right
        case KEY_PPAGE: .pageUp
        case KEY_NPAGE: .pageDown
        case KEY_HOME, KEY_A1: .home
        case KEY_END, KEY_C1: .end
        case KEY_BACKSPACE: .backspace
        case KEY_DC: .delete
        case KEY_ENTER: .enter
        case KEY_BTAB: .backTab
        default: nil
        }
    }

    /// A mouse report (from getmouse): the shim names the button as 1 (left), 4 or 5 (the wheel).
    static func decode(mouseButton button: Int32, x: Int32, y: Int32) -> Mouse? {
        let kind: Mouse.Kind
        switch button {
        case 1: kind = .click
        case 4: kind = .wheelUp
        case 5: kind = .wheelDown
        default: return nil
        }
        return Mouse(kind: kind, x: Int(x), y: Int(y))
    }

    static func decode(character value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26:
            return .ctrl(Character(Unicode.Scalar(UInt8(value) + 96)))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return nil }
            return .char(Character(scalar))
        }
    }
}
