#include "engine/photo/face_scan.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace reel::engine {

namespace fs = std::filesystem;

namespace {

constexpr const char* kModuleFile = "libreel_face_scan.so";

std::vector<std::string> module_paths() {
  if (const char* env = std::getenv("REEL_FACE_SCAN_MODULE"); env && *env) return {env};
  std::vector<std::string> paths;
  std::error_code ec;
  const fs::path program = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) paths.push_back((program.parent_path() / kModuleFile).string());
#ifdef REEL_FACE_SCAN_MODULE
  if (paths.empty() || paths.front() != REEL_FACE_SCAN_MODULE) paths.push_back(REEL_FACE_SCAN_MODULE);
#endif
  return paths;
}

/// The first of module_paths() that is a file; empty with `looked` listing them when none is.
std::string module_file(std::string* looked) {
  for (const std::string& path : module_paths()) {
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return path;
    *looked += (looked->empty() ? "" : ", ") + path;
  }
  return {};
}

}  // namespace

std::string face_scan_module_missing() {
  std::string looked;
  if (!module_file(&looked).empty()) return {};
  return std::string(kModuleFile) + " was not found (looked for " + looked + ")";
}

const FaceScanModule* face_scan_module(std::string* problem) {
  static std::once_flag once;
  static const FaceScanModule* module = nullptr;
  static std::string why;
  std::call_once(once, [] {
    std::string looked;
    const std::string path = module_file(&looked);
    if (path.empty()) {
      why = face_scan_module_missing();
      return;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* error = dlerror();
      why = path + " could not be opened (" + (error ? error : "no reason given") + ")";
      return;
    }
    using Entry = const FaceScanModule* (*)();
    const auto entry = reinterpret_cast<Entry>(dlsym(handle, "reel_face_scan_module"));
    module = entry ? entry() : nullptr;
    if (!module) why = path + " is not reel's face scanner";
  });
  if (!module && problem) *problem = why;
  return module;
}

}  // namespace reel::engine
