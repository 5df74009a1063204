// Descriptors 0, 1 and 2 closed by the caller (`>&-`, `<&-`, `2>&-`) are handed out again by the next
// open: before `main` runs Swift code, libdispatch's eventfd takes descriptor 1, and the results table
// was then written into it (EINVAL), or into a socket or a report file opened later. A constructor runs
// before `main`, so each closed one is taken here by a read-only /dev/null: reading gives end of file,
// and writing the table to a closed stdout fails with EBADF and is reported (exit 1), as coreutils do.
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

__attribute__((constructor))
static void portgrid_occupy_closed_standard_streams(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
            // open returns the lowest free descriptor: this one. Anything else is not ours to keep.
            int opened = open("/dev/null", O_RDONLY | O_CLOEXEC);
            if (opened >= 0 && opened != fd) close(opened);
        }
    }
}
