import CNcursesw
import Glibc

/// Why the TUI could not take the terminal.
enum TerminalError: Error, Equatable, CustomStringConvertible {
    case notATerminal
    case cannotInitialize(term: String)

    var description: String {
        switch self {
        case .notATerminal: "the TUI needs a terminal on stdin and stdout (use --no-tui for scripts)"
        case .cannotInitialize(let term): "cannot start curses on terminal type '\(term)' (set TERM, or use --no-tui)"
        }
    }
}

/// The terminal's whole curses lifecycle in one place: `enter` takes it (locale, newterm, raw
/// keys, colors), `leave` gives it back exactly once. Used only from the terminal thread.
final class Terminal {
    private var screen: OpaquePointer?
    private var output: UnsafeMutablePointer<FILE>?
    private var input: UnsafeMutablePointer<FILE>?
    private(set) var hasColors = false
    private(set) var unicode = false

    /// Takes the terminal. On failure nothing is left half-initialized.
    init() throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        setlocale(LC_ALL, "")
        unicode = Self.localeIsUTF8()
        // newterm, unlike initscr, returns NULL instead of exiting when the terminal is unusable.
        // Our own descriptors, so closing the FILEs later leaves the process's 0 and 1 alone.
        output = fdopen(dup(STDOUT_FILENO), "w")
        input = fdopen(dup(STDIN_FILENO), "r")
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        guard let output, let input, let screen = newterm(nil, output, input) else {
            closeFiles()
            throw .cannotInitialize(term: term)
        }
        self.screen = screen
        set_term(screen)
        // raw: Ctrl-C and Ctrl-Z arrive as keys, so the app quits through its own path.
        raw()
        noecho()
        nonl()
        keypad(pg_stdscr(), true)
        intrflush(pg_stdscr(), false)
        set_escdelay(25)
        // Clicks and the wheel; no click-timing delay, so a press acts at once.
        mousemask(pg_mouse_wanted(), nil)
        mouseinterval(0)
        curs_set(0)
        if has_colors() {
            start_color()
            hasColors = true
            Palette.install(defaultBackground: use_default_colors() == OK, colors: Int(pg_colors()))
        }
        Self.current = self
        atexit { Terminal.emergencyLeave() }
    }

    var size: ScreenSize { ScreenSize(cols: Int(pg_cols()), rows: Int(pg_lines())) }

    /// Reads one key, waiting at most `milliseconds`.
    func read(timeout milliseconds: Int32) -> TerminalInput? {
        wtimeout(pg_stdscr(), milliseconds)
        var value: wint_t = 0
        let kind = wget_wch(pg_stdscr(), &value)
        if kind == KEY_CODE_YES {
            if Int32(value) == KEY_RESIZE { return .resize(size) }
            if Int32(value) == KEY_MOUSE {
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                return KeyDecoder.decode(mouseButton: pg_mouse_kind(event.bstate), x: event.x, y: event.y).map(TerminalInput.mouse)
            }
            return KeyDecoder.decode(functionKey: Int32(value)).map(TerminalInput.key)
        }
        if kind == OK { return KeyDecoder.decode(character: UInt32(value)).map(TerminalInput.key) }
        return isHungUp ? .hangup : nil
    }

    /// A closed pty makes every read fail at once instead of waiting, and SIGHUP does not always
    /// follow (tmux kill-session): without this check the key loop would spin on a dead terminal.
    private var isHungUp: Bool {
        var watched = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&watched, 1, 0) == 1 else { return false }
        return watched.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// Gives the terminal back: safe to call more than once.
    func leave() {
        guard let screen else { return }
        endwin()
        delscreen(screen)
        self.screen = nil
        closeFiles()
        if Self.current === self { Self.current = nil }
    }

    deinit { leave() }

    private func closeFiles() {
        if let output { fclose(output) }
        if let input { fclose(input) }
        output = nil
        input = nil
    }

    static func localeIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    /// A process that exits while curses is up (a crash path, exit() from elsewhere) must not
    /// leave the terminal raw.
    nonisolated(unsafe) private static var current: Terminal?

    private static func emergencyLeave() {
        if isendwin() == false, current != nil { endwin() }
    }
}
