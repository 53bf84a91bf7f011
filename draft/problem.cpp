#include "draft/problem.h"

#include <algorithm>

namespace reel::draft {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::Error:
      return "error";
    case Severity::Warning:
      return "warning";
    case Severity::Notice:
      return "notice";
  }
  return "error";
}

std::string Problem::line() const {
  return (pointer.empty() ? std::string("/") : pointer) + ": " + to_string(severity) + ": " + message;
}

Json Problem::to_json() const {
  Json j;
  j["path"] = pointer.empty() ? "/" : pointer;
  j["severity"] = to_string(severity);
  j["message"] = message;
  return j;
}

bool has_errors(const std::vector<Problem>& problems) {
  return std::any_of(problems.begin(), problems.end(), [](const Problem& p) { return p.severity == Severity::Error; });
}

static std::string compose(const std::string& origin, const std::string& where, const std::string& msg) {
  std::string out = origin;
  if (!where.empty()) out += (out.empty() ? "" : ":") + where;
  return out + (out.empty() ? "" : ": ") + msg;
}

DraftError::DraftError(std::string origin, std::string where, std::string message)
    : base::Error(base::Fault::Input, compose(origin, where, message)),
      origin_(std::move(origin)),
      where_(std::move(where)),
      detail_(std::move(message)) {}

}  // namespace reel::draft
