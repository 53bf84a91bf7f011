#pragma once
#include <string>
#include <vector>

#include "base/error.h"
#include "draft/json.h"

namespace reel::draft {

enum class Severity { Error, Warning, Notice };

const char* to_string(Severity s);

/// One finding about a draft: where (a JSON pointer such as "/t/0/sg/1/d"), how bad, and a
/// sentence that says what to do. Validation returns all of them at once, as values.
struct Problem {
  std::string pointer;
  Severity severity = Severity::Error;
  std::string message;

  /// "path: severity: message", the line `reel validate` prints.
  std::string line() const;
  Json to_json() const;
};

bool has_errors(const std::vector<Problem>& problems);

/// Input that is not a draft at all (not JSON, too deep, too large, unreadable): one error
/// with the place it happened — "line:column" for text, a JSON pointer for values.
class DraftError : public base::Error {
 public:
  DraftError(std::string origin, std::string where, std::string message);
  const std::string& origin() const { return origin_; }
  const std::string& where() const { return where_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string origin_, where_, detail_;
};

}  // namespace reel::draft
