import CPortgridSystem

/// The heap's free pages given back to the system. glibc keeps pages it got back from `free` mapped
/// (and counted in the process's resident set) for reuse; a run that has finished a big scan and is
/// about to build its reports asks for them to be released first, so the report is not built on top
/// of the scan's dead buffers.
public enum FreeMemory {
    public static func release() { _ = malloc_trim(0) }

    /// At most two malloc arenas (glibc's default allows eight per core): the scan thread and
    /// the pool threads that read its events otherwise each grow an arena of their own, and what
    /// one thread frees stays as free pages in the arena it came from. On the /16 benchmarks this
    /// is 1.5-5 MB of peak RSS, with the same wall time. Called first, before any thread of ours.
    public static func limitArenas() { _ = mallopt(M_ARENA_MAX, 2) }
}
