#include "cloud/protocol/errors.h"

namespace reel::cloud {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Unreachable:
      return "unreachable";
    case ErrorKind::Timeout:
      return "timeout";
    case ErrorKind::Transient:
      return "transient";
    case ErrorKind::RateLimited:
      return "rate-limited";
    case ErrorKind::BadToken:
      return "bad-token";
    case ErrorKind::SessionNotFound:
      return "session-not-found";
    case ErrorKind::NoCredits:
      return "no-credits";
    case ErrorKind::UnsupportedType:
      return "unsupported-type";
    case ErrorKind::TooLarge:
      return "too-large";
    case ErrorKind::MissingClientId:
      return "missing-client-id";
    case ErrorKind::ExportBlocked:
      return "export-blocked";
    case ErrorKind::DuplicateId:
      return "duplicate-id";
    case ErrorKind::RenderFailed:
      return "render-failed";
    case ErrorKind::GaveUp:
      return "gave-up";
    case ErrorKind::NotFound:
      return "not-found";
    case ErrorKind::BadResponse:
      return "bad-response";
    case ErrorKind::Refused:
      return "refused";
    case ErrorKind::Cancelled:
      return "cancelled";
    case ErrorKind::LocalFile:
      return "local-file";
    case ErrorKind::StreamDropped:
      return "stream-dropped";
    case ErrorKind::AgentError:
      return "agent-error";
  }
  return "unknown";
}

base::Fault fault_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Cancelled:
      return base::Fault::Cancelled;
    case ErrorKind::LocalFile:
    case ErrorKind::UnsupportedType:
    case ErrorKind::TooLarge:
      return base::Fault::Input;
    default:
      return base::Fault::Remote;
  }
}

bool CloudError::retryable() const {
  switch (kind_) {
    case ErrorKind::Timeout:
    case ErrorKind::Transient:
    case ErrorKind::RateLimited:
    case ErrorKind::Unreachable:
      return true;
    default:
      return false;
  }
}

}  // namespace reel::cloud
