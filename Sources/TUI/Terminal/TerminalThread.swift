import Threads
import FoundationEssentials
import Synchronization

/// The one thread that talks to curses: it takes the terminal, reads keys with a short timeout,
/// draws the newest state posted to it, and gives the terminal back when told to stop (or when
/// anything on it goes wrong). Nothing else calls curses, so ncurses' lack of thread safety
/// never matters.
final class TerminalThread: Sendable {
    struct Started: Sendable {
        let size: ScreenSize
        let unicode: Bool
    }

    private let mailbox = Mutex<AppState?>(nil)
    private let stopRequested = Atomic<Bool>(false)
    private let onInput: @Sendable (TerminalInput) -> Void
    private let onClosed: @Sendable () -> Void

    /// How long a key read waits; also the longest a posted frame waits to be drawn.
    static let pollMilliseconds: Int32 = 10

    private init(onInput: @escaping @Sendable (TerminalInput) -> Void, onClosed: @escaping @Sendable () -> Void) {
        self.onInput = onInput
        self.onClosed = onClosed
    }

    /// Starts the thread and waits until curses is up (or failed to come up).
    static func start(onInput: @escaping @Sendable (TerminalInput) -> Void,
                      onClosed: @escaping @Sendable () -> Void) async throws(TerminalError) -> (TerminalThread, Started) {
        let thread = TerminalThread(onInput: onInput, onClosed: onClosed)
        let result: Result<Started, TerminalError> = await withCheckedContinuation { ready in
            // The name is what a benchmark (or a person with top -H) finds the UI thread's CPU time by.
            OSThread.start(name: "portgrid-ui") { thread.main(ready: ready) }
        }
        return (thread, try result.get())
    }

    /// The newest state to draw; an older one not yet drawn is simply replaced.
    func post(_ state: AppState) {
        mailbox.withLock { $0 = state }
    }

    func stop() {
        stopRequested.store(true, ordering: .releasing)
    }

    private func main(ready: CheckedContinuation<Result<Started, TerminalError>, Never>) {
        let terminal: Terminal
        do {
            terminal = try Terminal()
        } catch {
            ready.resume(returning: .failure(error))
            return
        }
        defer {
            terminal.leave()
            onClosed()
        }
        var screen = CursesScreen(size: terminal.size, unicode: terminal.unicode)
        ready.resume(returning: .success(Started(size: terminal.size, unicode: terminal.unicode)))
        var shown: AppState?
        while !stopRequested.load(ordering: .acquiring) {
            if let input = terminal.read(timeout: Self.pollMilliseconds) {
                if input == .hangup { break }
                if case .resize(let size) = input {
                    screen.resize(size)
                    if var state = shown {
                        // Redraw at once at the new size; the app's own state catches up next.
                        state.size = size
                        draw(state, on: &screen)
                    }
                }
                onInput(input)
            }
            if let state = mailbox.withLock({ value -> AppState? in defer { value = nil }; return value }) {
                shown = state
                draw(state, on: &screen)
            }
        }
    }

    private func draw(_ state: AppState, on screen: inout CursesScreen) {
        Renderer.render(state, on: &screen)
        screen.present()
    }
}
