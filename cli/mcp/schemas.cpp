#include "cli/mcp/schemas.h"

namespace reel::cli::mcp {

Json object_schema(Json properties, std::initializer_list<const char*> required) {
  Json s = {{"type", "object"}, {"properties", std::move(properties)}};
  if (required.size()) {
    Json r = Json::array();
    for (const char* name : required) r.push_back(name);
    s["required"] = r;
  }
  return s;
}

Json draft_properties() {
  return {{"draft", string_schema("The draft file (the cloud agent's track JSON), as a path relative to the folder "
                                  "the server was started on (reel mcp --root). Give this or draft_json.")},
          {"draft_json",
           {{"type", "object"},
            {"description",
             "The draft itself, as a JSON object (its tracks under t or tracks), instead of a file; "
             "relative media paths resolve against the server's root."}}}};
}

Json with_properties(Json base, const Json& more) {
  for (auto it = more.begin(); it != more.end(); ++it) base[it.key()] = it.value();
  return base;
}

Json string_schema(const std::string& description) { return {{"type", "string"}, {"description", description}}; }
Json integer_schema(const std::string& description) { return {{"type", "integer"}, {"description", description}}; }
Json number_schema(const std::string& description) { return {{"type", "number"}, {"description", description}}; }
Json boolean_schema(const std::string& description) { return {{"type", "boolean"}, {"description", description}}; }

Json enum_schema(std::initializer_list<const char*> values, const std::string& description) {
  Json e = Json::array();
  for (const char* v : values) e.push_back(v);
  return {{"type", "string"}, {"enum", e}, {"description", description}};
}

Json hash_schema() {
  return {{"type", "string"},
          {"pattern", "^[0-9a-f]{16}$"},
          {"description", "The hash of the draft's bytes; pass it to edit_draft as expected_hash"}};
}

}  // namespace reel::cli::mcp
