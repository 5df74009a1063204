import PortgridCore

/// The live TUI's front door.
public enum TUIApp {
    /// Runs until the user quits (q, Ctrl-C, SIGTERM, or a thrown error); the terminal is restored on
    /// every path before it returns; returns every result found (all techniques) and whether the last
    /// scan was cut short.
    public static func run(_ options: TUIOptions) async throws -> TUIOutcome {
        try await AppLoop(options: options).run()
    }
}
