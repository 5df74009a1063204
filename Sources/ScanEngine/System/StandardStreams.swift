import CPortgridSystem

/// The process's last flush before `exit`.
public enum StandardStreams {
    /// Flushes the two streams `print` and the C libraries write to. Not `fflush(NULL)`: it locks
    /// every open stream, curses' own among them, and a terminal thread stuck writing to a pty nobody
    /// reads would hold the exit forever.
    public static func flush() { portgrid_flush_standard_streams() }
}
