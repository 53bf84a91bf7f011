#include "cli/loopback/guard.h"

#include <cstdint>
#include <random>

namespace reel::cli::loopback {

std::string new_token() {
  std::random_device device;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token;
  for (int word = 0; word < 4; ++word) {
    uint32_t bits = device();
    for (int nibble = 0; nibble < 8; ++nibble, bits >>= 4) token += kHex[bits & 15];
  }
  return token;
}

bool same_token(std::string_view given, std::string_view expected) {
  unsigned char differ = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i)
    differ |= static_cast<unsigned char>(expected[i] ^ (i < given.size() ? given[i] : 0));
  return differ == 0 && !expected.empty();
}

namespace {

// Host header values that name this server: a loopback name with our port.
bool names_this_server(std::string_view authority, int port) {
  std::string suffix = std::to_string(port);
  suffix.insert(suffix.begin(), ':');
  for (std::string_view name : {"127.0.0.1", "localhost", "[::1]"}) {
    if (authority.size() == name.size() + suffix.size() && authority.substr(0, name.size()) == name &&
        authority.substr(name.size()) == suffix)
      return true;
  }
  return false;
}

}  // namespace

std::string refusal(std::string_view host, std::string_view origin, int port) {
  if (host.empty()) return "the request names no Host";
  if (!names_this_server(host, port))
    return "the Host header '" + std::string(host) + "' is not this server's loopback address (DNS rebinding?)";
  if (origin.empty()) return "";
  constexpr std::string_view scheme = "http://";
  if (origin.substr(0, scheme.size()) != scheme || !names_this_server(origin.substr(scheme.size()), port))
    return "requests from the page '" + std::string(origin) + "' are not accepted; open the address reel printed";
  return "";
}

}  // namespace reel::cli::loopback
