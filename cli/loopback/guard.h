#pragma once
// What every local server of reel (the studio page, the MCP server over HTTP) checks before it
// answers a request: it is bound to loopback, yet a web page in the user's browser can still
// reach it — by a cross-site request (the Origin header tells) or by DNS rebinding (a host name
// of the attacker's that now points at 127.0.0.1: the Host header tells). Jupyter's answer, a
// random token in the printed address that every request carries, covers the rest.
#include <string>
#include <string_view>

namespace reel::cli::loopback {

/// A fresh token of 32 hex digits (128 bits from std::random_device).
std::string new_token();

/// Whether `given` equals `expected`, in a time that does not depend on where they differ.
bool same_token(std::string_view given, std::string_view expected);

/// Why a request to a server listening on loopback port `port` must be refused, or "" when it
/// may go on. `host` is the Host header (required, and naming 127.0.0.1, localhost or [::1]
/// with that port); `origin` the Origin header, "" when absent (a request that is not
/// cross-origin), else it must be http:// one of those same addresses.
std::string refusal(std::string_view host, std::string_view origin, int port);

}  // namespace reel::cli::loopback
