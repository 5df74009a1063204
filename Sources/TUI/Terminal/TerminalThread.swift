import Threads
import FoundationEssentials
import Synchronization

/// The one thread that talks to curses: it takes the terminal, reads keys with a short timeout,
/// shows the newest frame posted to it, and gives the terminal back when told to stop (or when
/// anything on it goes wrong). Nothing else calls curses, so ncurses' lack of thread safety
/// never matters.
///
/// It is given frames (the renderer's cells), not the app's state: a state held here would share
/// its storage with the app loop's, and the loop's next change to a /16's host list would copy all
/// of it, every frame (a sweep of 65,536 hosts peaked at 162 MB that way).
final class TerminalThread: Sendable {
    struct Started: Sendable {
        let size: ScreenSize
        let unicode: Bool
    }

    private let mailbox = Mutex<MemoryScreen?>(nil)
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

    /// The newest frame to show; an older one not yet shown is simply replaced.
    func post(_ frame: MemoryScreen) {
        mailbox.withLock { $0 = frame }
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
        var shown: MemoryScreen?
        while !stopRequested.load(ordering: .acquiring) {
            if let input = terminal.read(timeout: Self.pollMilliseconds) {
                if input == .hangup { break }
                if case .resize(let size) = input {
                    screen.resize(size)
                    // The last frame at once, cut to the new size; the app's frame at that size follows.
                    if let shown { show(shown, on: &screen) }
                }
                onInput(input)
            }
            if let frame = mailbox.withLock({ value -> MemoryScreen? in defer { value = nil }; return value }) {
                shown = frame
                show(frame, on: &screen)
            }
        }
    }

    private func show(_ frame: MemoryScreen, on screen: inout CursesScreen) {
        screen.show(frame)
        screen.present()
    }
}
