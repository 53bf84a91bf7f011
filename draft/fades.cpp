#include "draft/fades.h"

#include <cmath>

#include "draft/keys.h"

namespace reel::draft {

namespace {

int64_t ms_of(const Json& m, const char* key) {
  auto it = m.find(key);
  if (it == m.end() || !it->is_number()) return 0;
  double v = it->get<double>();
  if (!(v >= 0) || v > 1e10 || v != std::floor(v)) return 0;
  return static_cast<int64_t>(v);
}

}  // namespace

EndFades end_fades(const Draft& draft) {
  EndFades f;
  if (!draft.json.is_object()) return f;
  const Json* m = find_key(draft.json, Key::Metadata);
  if (!m || !m->is_object()) return f;
  f.in_ms = ms_of(*m, "fi");
  f.out_ms = ms_of(*m, "fo");
  return f;
}

}  // namespace reel::draft
