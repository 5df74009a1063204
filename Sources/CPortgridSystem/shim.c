// SwiftPM needs one source file to build a C target; the target exists for its header.
#include "portgrid_system.h"

uint32_t portgrid_load_acquire_u32(const uint32_t *address) {
    return __atomic_load_n(address, __ATOMIC_ACQUIRE);
}

void portgrid_store_release_u32(uint32_t *address, uint32_t value) {
    __atomic_store_n(address, value, __ATOMIC_RELEASE);
}
