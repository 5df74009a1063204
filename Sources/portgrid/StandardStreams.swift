import Glibc

/// Descriptors 0, 1 and 2 closed by the caller (`>&-`, `<&-`) are taken by a read-only `/dev/null`
/// at start, so that no socket or report file the run opens later can land on them and receive the
/// results table. Read-only on purpose: writing the table to a closed stdout then fails with EBADF and
/// is reported (exit 1), as coreutils do, instead of vanishing.
enum StandardStreams {
    static func occupyClosed() {
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", O_RDONLY)
            // open returns the lowest free descriptor: this one. Anything else is not ours to keep.
            if opened >= 0 && opened != fd { close(opened) }
        }
    }
}
