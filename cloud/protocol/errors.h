#pragma once
// The cloud's one error type. Every backend error code and HTTP refusal of
// docs/cloud.md becomes a CloudError whose message tells the person what to do. Messages never
// contain the token.
#include <stdexcept>
#include <string>

#include "base/error.h"

namespace reel::cloud {

enum class ErrorKind {
  Unreachable,      // no connection (DNS, refused, TLS)
  Timeout,          // connect timeout or the server stalled (low-speed limit)
  Transient,        // dropped connection, HTTP 408 or 5xx: the same call may succeed later
  RateLimited,      // HTTP 429
  BadToken,         // 1001 (after the one renewal)
  SessionNotFound,  // 1002
  NoCredits,        // 2001
  UnsupportedType,  // 4001 (or the local check before an upload)
  TooLarge,         // 4002 (or the local check before an upload)
  MissingClientId,  // HTTP 400 on the anonymous-token call
  ExportBlocked,    // HTTP 402: export refused on the free plan
  DuplicateId,      // the render id was already used
  RenderFailed,     // the render job ended "failed"
  GaveUp,           // polling ran out of time; the job may still finish (resume)
  NotFound,         // HTTP 404 / unknown id
  BadResponse,      // an answer we cannot read
  Refused,          // any other refusal (other codes, other 4xx)
  Cancelled,        // cancelled by the person
  LocalFile,        // a local file could not be read or written
  StreamDropped,    // an agent stream broke after the message went out (never re-sent)
  AgentError,       // the agent's stream carried an error event
};

const char* to_string(ErrorKind kind);

/// The kind of failure (and so the exit code) of each cloud error kind: a cancel is a cancel,
/// a local file or an upload reel refused before sending is bad input, the rest the cloud's.
base::Fault fault_of(ErrorKind kind);

/// A failed cloud call: what happened in a sentence for people, plus the HTTP status (0 when
/// there was no HTTP answer) and the backend's code (0 when none).
class CloudError : public base::Error {
 public:
  CloudError(ErrorKind kind, std::string message, int http_status = 0, int backend_code = 0)
      : base::Error(fault_of(kind), message), kind_(kind), http_status_(http_status), backend_code_(backend_code) {}
  ErrorKind kind() const { return kind_; }
  int http_status() const { return http_status_; }
  int backend_code() const { return backend_code_; }
  /// Whether the same call may succeed when made again later.
  bool retryable() const;

 private:
  ErrorKind kind_;
  int http_status_;
  int backend_code_;
};

}  // namespace reel::cloud
