import AsyncAlgorithms
import Glibc
import PortgridCore
import Report
import ScanEngine

/// The event loop: scan events, terminal input and signals arrive as Actions on one stream; a
/// render tick is merged in. Each action is folded by `Reducer.reduce` and its effects carried
/// out; the screen gets the newest state at most once a tick, and only when something changed.
/// The engine's stream is unbounded and only read here, so a slow terminal never slows a scan.
struct AppLoop {
    static let frameInterval = Duration.milliseconds(33)

    let options: TUIOptions

    private enum Event: Sendable {
        case action(Action)
        /// SIGINT, SIGTERM, SIGHUP, or Ctrl-C read as a key: all end the session the same way.
        case signal(Int32)
        case terminalClosed
        case tick
    }

    func run() async throws -> TUIOutcome {
        let (events, sink) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .unbounded)
        let (terminal, started) = try await TerminalThread.start(
            onInput: { input in
                switch input {
                // Raw mode turns Ctrl-C into a key; it means what SIGINT means in a shell.
                case .key(.ctrl("c")): TerminationSignals.shared.deliver(SIGINT)
                case .key(let key): sink.yield(.action(.key(key)))
                case .mouse(let mouse): sink.yield(.action(.mouse(mouse)))
                case .resize(let size): sink.yield(.action(.resize(size)))
                case .hangup: break // the thread stops and reports itself closed
                }
            },
            onClosed: { sink.yield(.terminalClosed) })
        let signals = TerminationSignals.shared.watch { sink.yield(.signal($0)) }
        defer { signals.cancel() }
        var endingSignal: Int32?

        let send: @Sendable (Action) -> Void = { sink.yield(.action($0)) }
        let driver = ScanDriver(send: send)
        let detector = DetectionDriver(options.detection, send: send)
        var state = AppState(request: options.request, size: started.size)
        state.services = options.reportContext(false).services
        state.detection = options.detection == nil ? nil : DetectionState()
        state.viewing = options.stored.map { ViewingState(watching: $0.watching) }
        // A read-only session's readings come through the same stream as a scan's events.
        let reader = options.stored.map { source in
            Task { for await reading in source.readings { sink.yield(.action(.stored(reading))) } }
        }
        defer { reader?.cancel() }
        var store = ResultStore()
        var terminalOpen = true
        let sessionStart = ContinuousClock.now

        for effect in Reducer.begin(&state) { driver.perform(effect) }
        // Frames are drawn here and only shown by the terminal thread (see `TerminalThread`).
        let show = { (state: AppState) in terminal.post(Self.frame(state, unicode: started.unicode)) }
        show(state)

        let ticks = AsyncTimerSequence(interval: Self.frameInterval, clock: .continuous).map { _ in Event.tick }
        var merged = merge(events, ticks).makeAsyncIterator()
        var dirty = false

        // Live phase: until a quit (key, signal, task cancellation) or the terminal going away.
        live: while let event = await merged.next() {
            if Task.isCancelled { _ = Reducer.quit(&state); break }
            switch event {
            case .tick:
                if dirty { show(state); dirty = false }
            case .terminalClosed:
                terminalOpen = false
                _ = Reducer.quit(&state)
                break live
            case .signal(let number):
                endingSignal = endingSignal ?? number
                _ = Reducer.reduce(&state, .terminate)
                break live
            case .action(let action):
                state.now = ContinuousClock.now - sessionStart
                if case .scan(let id, let scanEvent) = action {
                    Self.keep(scanEvent, scan: id, in: &store, state)
                    options.observeScan?(scanEvent)
                }
                if case .stored(let reading) = action { store = reading.merged?.store ?? ResultStore() }
                let effects = Reducer.reduce(&state, action)
                for effect in effects {
                    switch effect {
                    case .quit: break live
                    case .export(let path):
                        export(store, to: path, interrupted: state.scan.isRunning, detected: state.detection?.learned, send: send)
                    case .probeServices, .stopServiceProbes: detector.perform(effect)
                    default: driver.perform(effect)
                    }
                }
                // Keys show at once; scan and detection news waits for the tick so batches fold into one frame.
                switch action {
                case .scan, .detected: dirty = true
                default: show(state); dirty = false
                }
            }
        }

        // Quit: give the terminal back first, stop the scan, and keep what it still sends.
        let interrupted = state.scan.isRunning
        terminal.stop()
        driver.cancel()
        var drain = QuitDrain(quitAt: .now, terminalOpen: terminalOpen,
                              scanOpen: state.scan.isRunning && state.viewing == nil)
        // The ticks wake the loop, so a limit passes even when nothing else comes.
        while !drain.isOver(at: .now), let event = await merged.next() {
            switch event {
            case .terminalClosed: drain.terminalOpen = false
            case .action(.scan(let id, let scanEvent)):
                Self.keep(scanEvent, scan: id, in: &store, state)
                if id == state.scan.id, case .finished = scanEvent { drain.scanOpen = false }
            case .action(.detected(let key, let identity)):
                // Kept for the report's sake: the command merges them with what it learns after.
                _ = Reducer.reduce(&state, .detected(key, identity))
            case .tick, .action, .signal: break
            }
        }
        return TUIOutcome(store: store, interrupted: interrupted, signal: endingSignal,
                          scanElapsed: state.scanElapsed, changes: state.changes,
                          detectionOn: state.detection?.enabled ?? false)
    }

    /// Folds a scan event into the results the report is made of, under the screen's rule of one
    /// scan, one truth: news from before the last target change is about hosts no longer asked
    /// for, and the first scan of a new range drops every host outside it.
    /// The screen for `state`, at its size.
    static func frame(_ state: AppState, unicode: Bool) -> MemoryScreen {
        var frame = MemoryScreen(cols: state.size.cols, rows: state.size.rows, unicode: unicode)
        Renderer.render(state, on: &frame)
        return frame
    }

    static func keep(_ event: ScanEvent, scan id: Int, in store: inout ResultStore, _ state: AppState) {
        guard id >= state.rangeEpoch else { return }
        if id == state.rangeEpoch, state.rangeEpoch > 1, case .started(let plan) = event {
            store = store.keeping(hosts: Set(plan.hosts))
        }
        store.apply(event)
    }

    private func export(_ store: ResultStore, to path: String, interrupted: Bool, detected: [ServiceKey: ServiceIdentity]?,
                        send: @escaping @Sendable (Action) -> Void) {
        var context = options.reportContext(interrupted)
        // What -sV learned so far goes into the export too (its VERSION column, XML's <service>).
        if let detected { context.detected = detected }
        Task.detached {
            send(.exportFinished(Exporter.export(store, to: path, context: context)))
        }
    }
}
