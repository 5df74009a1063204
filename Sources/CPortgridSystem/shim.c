// SwiftPM needs one source file to build a C target; the target exists for its header.
#include "portgrid_system.h"
