import CPortgridSystem

/// The heap's free pages given back to the system. glibc keeps pages it got back from `free` mapped
/// (and counted in the process's resident set) for reuse; a run that has finished a big scan and is
/// about to build its reports asks for them to be released first, so the report is not built on top
/// of the scan's dead buffers.
public enum FreeMemory {
    public static func release() { _ = malloc_trim(0) }

    /// How glibc's allocator is set for a scan. Called first, before any thread of ours.
    ///
    /// One malloc arena (glibc's default allows eight per core): the scan thread and the pool
    /// threads that read its events otherwise each grow an arena of their own, and what one thread
    /// frees stays as free pages in the arena it came from. Two arenas saved 1.5-5 MB of peak RSS on
    /// the /16 benchmarks; one saves 0.3-1 MB more (a /15 swept a /16 at a time: 16.3-16.5 MB
    /// against 16.9-17.4), with the same wall times, A against B in one run.
    ///
    /// Blocks of 128 KB and more always mapped on their own, and unmapped when freed. glibc starts
    /// there but raises the threshold to the size of each mapped block freed (up to 32 MB), and the
    /// heap's trim threshold to twice that: after a hostgroup's 1.5 MB arrays were freed, the next
    /// group's came from the heap, and what they left stayed resident. A /15 scanned a /16 at a time
    /// peaked 1.5 MB over a /16 that way (`-sS -Pn -p 80`: 17.0-17.4 MB against 14.6-14.8; fixed,
    /// 15.5-16.0). Thresholds of 512 KB and 1 MB did not help: most of a /16's arrays are 256-512 KB.
    public static func configureAllocator() {
        _ = mallopt(M_ARENA_MAX, 1)
        _ = mallopt(M_MMAP_THRESHOLD, 128 * 1024)
    }
}
