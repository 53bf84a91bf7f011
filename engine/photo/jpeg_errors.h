#pragma once
// libjpeg's way of failing, made a jump back with the message: the one error manager of the
// JPEG decoder (photo/decoder) and the JPEG writer (output/jpeg_writer).
#include "engine/internal.h"

#include <csetjmp>
#include <cstdio>
// clang-format off
#include <jpeglib.h>  // after <cstdio>: it uses FILE without including it
// clang-format on

namespace reel::engine {

/// libjpeg's error manager plus the way back and the message. The code between the setjmp on
/// `back` and the libjpeg calls holds no object with a destructor: a failure longjmps over it.
struct JpegErrors {
  jpeg_error_mgr mgr;  // first: libjpeg hands back a pointer to it
  std::jmp_buf back;
  char message[JMSG_LENGTH_MAX];
};

/// error_exit for a JpegErrors: formats libjpeg's message into it and jumps back.
[[noreturn]] inline void jpeg_fail(j_common_ptr c) {
  auto* e = reinterpret_cast<JpegErrors*>(c->err);
  (*c->err->format_message)(c, e->message);
  std::longjmp(e->back, 1);
}

}  // namespace reel::engine
