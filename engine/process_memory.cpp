#include "engine/process_memory.h"

#include <malloc.h>

namespace reel::engine {

void set_up_process_memory() {
  // 64 kB rather than 256 kB: a decoder's row buffers go back as well (1-2 MB of a preview).
  // Set once, glibc no longer raises the threshold after a free.
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);
}

}  // namespace reel::engine
