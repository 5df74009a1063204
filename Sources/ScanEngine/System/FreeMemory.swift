import CPortgridSystem

/// The heap's free pages given back to the system. glibc keeps pages it got back from `free` mapped
/// (and counted in the process's resident set) for reuse; a run that has finished a big scan and is
/// about to build its reports asks for them to be released first, so the report is not built on top
/// of the scan's dead buffers.
public enum FreeMemory {
    public static func release() { _ = malloc_trim(0) }

    /// One malloc arena (glibc's default allows eight per core): the scan thread and the pool
    /// threads that read its events otherwise each grow an arena of their own, and what one thread
    /// frees stays as free pages in the arena it came from. Two arenas saved 1.5-5 MB of peak RSS on
    /// the /16 benchmarks; one saves 0.3-1 MB more (a /15 swept a /16 at a time: 16.3-16.5 MB
    /// against 16.9-17.4), with the same wall times, A against B in one run. Called first, before
    /// any thread of ours.
    public static func limitArenas() { _ = mallopt(M_ARENA_MAX, 1) }
}
