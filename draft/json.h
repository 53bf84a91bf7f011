#pragma once
// The one JSON type of the project: key order is kept, so a draft writes back as it came.
#include <nlohmann/json.hpp>

namespace reel {
using Json = nlohmann::ordered_json;
}
