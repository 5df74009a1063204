// SwiftPM needs one source file to build a C target; the target exists mostly for its header.
#include "portgrid_system.h"
#include <stdio.h>
#include <sys/prctl.h>

int portgrid_name_thread(const char *name) {
    return prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}

void portgrid_flush_standard_streams(void) {
    fflush(stdout);
    fflush(stderr);
}
