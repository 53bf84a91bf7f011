#pragma once
// Process-wide malloc settings the engine relies on. Call from the program's set-up only
// (cli/ProcessSetup, the test and benchmark mains): library code never changes process globals.
namespace reel::engine {

/// Buffers of 64 kB and more come from fresh pages of the kernel and go back to it when freed.
/// Peak memory: glibc would otherwise keep freed photos and frames in its heap (15-18 MB more
/// on a preview). Equal bits: libx264's AVX-512 code reads some of its buffers before it writes
/// them, so in a process that reuses freed memory the same frames could encode to other bits
/// (seen: chunks rendered side by side differed from the same chunks rendered one after the
/// other); fresh pages are zero, so a chunk's bits depend on its frames alone.
void set_up_process_memory();

}  // namespace reel::engine
