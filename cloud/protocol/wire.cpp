#include "cloud/protocol/wire.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "cloud/protocol/upload_types.h"
#include "draft/parse.h"
#include "draft/time.h"
#include "draft/words.h"

namespace reel::cloud {
namespace {

/// A server's message, shortened and kept to one printable line.
std::string hint_of(std::string text) {
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return text;
}

std::string with_hint(const std::string& base, const std::string& hint) {
  return hint.empty() ? base : base + ": " + hint_of(hint);
}

double num_at(const Json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  if (it == j.end()) return 0;
  if (it->is_number()) return it->get<double>();
  if (it->is_string()) {
    try {
      return std::stod(it->get<std::string>());
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

// num_at as a whole number within [lo, hi]: a backend's NaN, negative or 1e300 becomes an edge,
// never a cast out of range (undefined behaviour).
int64_t whole_at(const Json& j, const char* key, int64_t lo, int64_t hi) {
  const double v = num_at(j, key);
  if (!(v >= static_cast<double>(lo))) return lo;
  if (v >= static_cast<double>(hi)) return hi;
  return static_cast<int64_t>(v);
}

std::string local_hint() { return " — or render locally with `reel export --local`"; }

}  // namespace

std::string string_at(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return {};
}

CloudError error_for_code(int code, const std::string& message, int http_status, const ErrorContext& ctx) {
  switch (code) {
    case kCodeBadToken:
      return CloudError(ErrorKind::BadToken,
                        "the backend refused the sign-in token (error 1001, bad or expired): run "
                        "`reel login` for a new one, or set a valid NEMO_TOKEN",
                        http_status, code);
    case kCodeSessionNotFound:
      return CloudError(ErrorKind::SessionNotFound,
                        "the editing session was not found (error 1002): a new session is needed", http_status, code);
    case kCodeNoCredits:
      if (ctx.anonymous && !ctx.user_id.empty())
        return CloudError(ErrorKind::NoCredits,
                          "no credits left on this free anonymous account (error 2001): register at " +
                              ctx.register_url + "?bind=" + ctx.user_id + " to keep your work and get more credits" +
                              local_hint(),
                          http_status, code);
      return CloudError(ErrorKind::NoCredits,
                        "no credits left (error 2001): top up credits on your account" + local_hint(), http_status,
                        code);
    case kCodeUnsupportedType:
      return CloudError(ErrorKind::UnsupportedType,
                        with_hint("the backend does not accept this file type (error 4001)", message) +
                            "; accepted formats: " + accepted_formats_text(),
                        http_status, code);
    case kCodeTooLarge:
      return CloudError(ErrorKind::TooLarge,
                        with_hint("the file is too large for the backend (error 4002)", message) +
                            "; compress it or trim it, then upload again",
                        http_status, code);
    default:
      return CloudError(ErrorKind::Refused,
                        with_hint("the backend refused " + ctx.what + " (error " + std::to_string(code) + ")", message),
                        http_status, code);
  }
}

CloudError error_for_status(long status, const std::string& body_hint, const ErrorContext& ctx) {
  const int s = static_cast<int>(status);
  const std::string code = "HTTP " + std::to_string(status);
  if (s == 400)
    return CloudError(ErrorKind::Refused,
                      with_hint("the backend rejected " + ctx.what + " as a bad request (" + code + ")", body_hint), s);
  if (s == 401)
    return CloudError(ErrorKind::BadToken,
                      "the backend refused the sign-in token (" + code +
                          "): run `reel login` for a new one, or set a valid NEMO_TOKEN",
                      s);
  if (s == 402)
    return CloudError(ErrorKind::ExportBlocked,
                      "the cloud refused the export on the free plan (" + code +
                          "): register or upgrade to unlock export" + local_hint(),
                      s);
  if (s == 404)
    return CloudError(ErrorKind::NotFound, with_hint(ctx.what + ": not found (" + code + ")", body_hint), s);
  if (s == 409)
    return CloudError(ErrorKind::DuplicateId,
                      with_hint(ctx.what + ": the id is already in use (" + code + ")", body_hint), s);
  if (s == 429)
    return CloudError(ErrorKind::RateLimited,
                      "the backend is limiting requests from this client (" + code + "): wait a minute and try again",
                      s);
  if (s == 408 || s >= 500)
    return CloudError(
        ErrorKind::Transient,
        with_hint("the backend failed while " + ctx.what + " (" + code + ")", body_hint) + "; try again later", s);
  return CloudError(ErrorKind::Refused, with_hint("the backend refused " + ctx.what + " (" + code + ")", body_hint), s);
}

Json unwrap_answer(long status, const std::string& body, const ErrorContext& ctx) {
  Json j = draft::try_parse_json(body).value_or(Json());
  const int s = static_cast<int>(status);
  if (s == 402 || s == 429 || s == 408 || s >= 500)
    throw error_for_status(status, string_at(j, "message").empty() ? string_at(j, "error") : string_at(j, "message"),
                           ctx);
  if (j.is_object()) {
    auto code_it = j.find("code");
    if (code_it != j.end() && code_it->is_number_integer()) {
      int code = code_it->get<int>();
      if (code != 0) throw error_for_code(code, string_at(j, "message"), s, ctx);
      if (s >= 400) throw error_for_status(status, string_at(j, "message"), ctx);
      auto data = j.find("data");
      return data != j.end() && !data->is_null() ? *data : j;
    }
    auto ok_it = j.find("success");
    if (ok_it != j.end() && ok_it->is_boolean()) {
      if (!ok_it->get<bool>() || s >= 400) {
        std::string text = string_at(j, "error");
        if (text.empty()) text = string_at(j, "message");
        if (draft::lower_ascii(text).find("duplicate") != std::string::npos || s == 409)
          throw CloudError(ErrorKind::DuplicateId, with_hint(ctx.what + ": the id is already in use", text), s);
        if (s >= 400) throw error_for_status(status, text, ctx);
        throw CloudError(ErrorKind::Refused, with_hint("the backend refused " + ctx.what, text), s);
      }
      auto data = j.find("data");
      return data != j.end() && !data->is_null() ? *data : j;
    }
    if (s >= 400) {
      std::string text = string_at(j, "errorMessage");
      if (text.empty()) text = string_at(j, "error");
      if (text.empty()) text = string_at(j, "message");
      if (auto ec = j.find("errorCode"); ec != j.end() && ec->is_number_integer() && ec->get<int>() != 0)
        throw error_for_code(ec->get<int>(), text, s, ctx);
      throw error_for_status(status, text, ctx);
    }
    return j;  // a bare answer (older render-status shape)
  }
  if (s >= 400 || s < 200) throw error_for_status(status, j.is_null() ? std::string() : j.dump(), ctx);
  throw CloudError(ErrorKind::BadResponse,
                   "the backend's answer to " + ctx.what + " is not JSON (HTTP " + std::to_string(s) + ")", s);
}

RenderState render_state_from(const std::string& status) {
  std::string s = draft::lower_ascii(status);
  if (s == "pending" || s == "queued" || s == "submitted") return RenderState::Pending;
  if (s == "processing" || s == "rendering" || s == "running" || s == "in_progress") return RenderState::Processing;
  if (s == "completed" || s == "complete" || s == "done" || s == "succeeded" || s == "success")
    return RenderState::Completed;
  if (s == "failed" || s == "error") return RenderState::Failed;
  if (s == "cancelled" || s == "canceled") return RenderState::Cancelled;
  return RenderState::Unknown;
}

const char* to_string(RenderState s) {
  switch (s) {
    case RenderState::Pending:
      return "pending";
    case RenderState::Processing:
      return "processing";
    case RenderState::Completed:
      return "completed";
    case RenderState::Failed:
      return "failed";
    case RenderState::Cancelled:
      return "cancelled";
    case RenderState::Unknown:
      return "unknown";
  }
  return "unknown";
}

RenderStatus parse_render_status(const Json& answer) {
  RenderStatus r;
  const Json* obj = &answer;
  if (answer.is_object()) {
    auto data = answer.find("data");
    if (data != answer.end() && data->is_object() && data->contains("status")) obj = &*data;
  }
  r.id = string_at(*obj, "id");
  if (r.id.empty()) r.id = string_at(answer, "id");
  r.status_text = string_at(*obj, "status");
  r.state = render_state_from(r.status_text);
  r.progress = static_cast<int>(whole_at(*obj, "progress", 0, 100));
  r.output_url = string_at(*obj, "outputUrl");
  for (const Json* o : {obj, &answer}) {
    if (!r.output_url.empty()) break;
    if (o->is_object()) {
      auto out = o->find("output");
      if (out != o->end() && out->is_object()) r.output_url = string_at(*out, "url");
      if (r.output_url.empty()) r.output_url = string_at(*o, "output_url");
    }
  }
  r.error = string_at(*obj, "error");
  if (r.error.empty() && obj != &answer) r.error = string_at(answer, "error");
  if (r.error.empty()) r.error = string_at(*obj, "errorMessage");
  constexpr int64_t kLatest = int64_t(1) << 62;
  r.created_at_ms = whole_at(*obj, "createdAt", 0, kLatest);
  r.completed_at_ms = whole_at(*obj, "completedAt", 0, kLatest);
  return r;
}

std::vector<UploadedFile> parse_uploaded_files(const Json& data) {
  std::vector<UploadedFile> out;
  auto files = data.is_object() ? data.find("files") : data.end();
  if (!data.is_object() || files == data.end() || !files->is_array()) return out;
  for (const Json& f : *files) {
    UploadedFile u;
    u.filename = string_at(f, "filename");
    u.file_type = string_at(f, "file_type");
    u.cdn_url = string_at(f, "cdn_url");
    u.hash = string_at(f, "hash");
    u.duration = num_at(f, "duration");
    u.width = static_cast<int>(whole_at(f, "width", 0, INT32_MAX));
    u.height = static_cast<int>(whole_at(f, "height", 0, INT32_MAX));
    u.fps = num_at(f, "fps");
    out.push_back(std::move(u));
  }
  return out;
}

Json to_json(const UploadedFile& f) {
  return Json{{"filename", f.filename}, {"file_type", f.file_type}, {"cdn_url", f.cdn_url}, {"duration", f.duration},
              {"width", f.width},       {"height", f.height},       {"fps", f.fps},         {"hash", f.hash}};
}

Credits parse_credits(const Json& data) {
  Credits c;
  c.available = num_at(data, "available");
  c.frozen = num_at(data, "frozen");
  c.total = num_at(data, "total");
  return c;
}

std::optional<int64_t> parse_iso8601(const std::string& text) {
  int y, mo, d, h, mi, s;
  char sep;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &s, &consumed) != 7)
    return std::nullopt;
  if (sep != 'T' && sep != 't' && sep != ' ') return std::nullopt;
  std::string rest = text.substr(static_cast<size_t>(consumed));
  size_t i = 0;
  if (i < rest.size() && rest[i] == '.') {
    ++i;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
  }
  int64_t offset = 0;
  if (i < rest.size() && (rest[i] == 'Z' || rest[i] == 'z')) {
    ++i;
  } else if (i < rest.size() && (rest[i] == '+' || rest[i] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(rest.c_str() + i + 1, "%2d:%2d", &oh, &om) < 1) return std::nullopt;
    offset = (oh * 3600 + om * 60) * (rest[i] == '-' ? -1 : 1);
    i = rest.size();
  }
  if (i != rest.size()) return std::nullopt;
  return draft::utc_epoch_seconds(y, mo, d, h, mi, s) - offset;
}

std::string format_iso8601(int64_t epoch_seconds) {
  std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<PartRequest> parse_part(const Json& submit_body, std::string& why) {
  auto part = submit_body.is_object() ? submit_body.find("part") : submit_body.end();
  if (!submit_body.is_object() || part == submit_body.end() || part->is_null()) return PartRequest{};
  const auto number = [&](const char* key) {
    if (!part->is_object()) return int64_t(0);
    auto v = part->find(key);
    return v != part->end() && v->is_number_integer() ? v->get<int64_t>() : int64_t(0);
  };
  const int64_t index = number("index"), of = number("of");
  if (of < 1 || of > 10000 || index < 1 || index > of) {
    why = "part must be {\"index\": I, \"of\": N} with 1 <= I <= N <= 10000";
    return std::nullopt;
  }
  return PartRequest{int(index), int(of)};
}

Json to_json(const PartRequest& part) {
  return part.of > 0 ? Json{{"index", part.index}, {"of", part.of}} : Json(nullptr);
}

}  // namespace reel::cloud
