#pragma once
// Pieces of the tools' JSON Schemas (draft 2020-12) that several tools share. Pure.
#include <initializer_list>
#include <string>

#include "draft/json.h"

namespace reel::cli::mcp {

/// {"type":"object","properties":…,"required":[…],"additionalProperties":false}
Json object_schema(Json properties, std::initializer_list<const char*> required = {});
/// The ways to name a draft: "draft" (a path in the root) and "draft_json" (inline).
Json draft_properties();
/// Adds `more` properties to `base`'s.
Json with_properties(Json base, const Json& more);
/// {"type":"string","description":…}, and the like.
Json string_schema(const std::string& description);
Json integer_schema(const std::string& description);
Json number_schema(const std::string& description);
Json boolean_schema(const std::string& description);
Json enum_schema(std::initializer_list<const char*> values, const std::string& description);
/// The hash every tool that reads a draft returns (16 hex digits).
Json hash_schema();

}  // namespace reel::cli::mcp
