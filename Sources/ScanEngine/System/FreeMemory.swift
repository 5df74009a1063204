import CPortgridSystem

/// The heap's free pages given back to the system. glibc keeps pages it got back from `free` mapped
/// (and counted in the process's resident set) for reuse; a run that has finished a big scan and is
/// about to build its reports asks for them to be released first, so the report is not built on top
/// of the scan's dead buffers.
public enum FreeMemory {
    public static func release() { _ = malloc_trim(0) }
}
