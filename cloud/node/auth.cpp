#include "cloud/node/auth.h"

#include "cloud/protocol/wire.h"

namespace reel::cloud::node {

namespace {

constexpr int64_t kDay = 24 * 3600;

Json token_answer(const std::string& token, const NodeToken& t) {
  return Json{
      {"token", token}, {"user_id", t.user_id}, {"expires_at", format_iso8601(t.expires_at)}, {"credits", t.credits}};
}

}  // namespace

std::string user_of(NodeState& n, const Request& req, Response& res) {
  std::string auth = req.get_header_value("Authorization");
  std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : std::string();
  std::lock_guard lock(n.mutex);
  auto it = n.records.tokens.find(token);
  if (token.empty() || it == n.records.tokens.end() || it->second.expires_at <= now_s()) {
    fail(res, 401, 1001, "bad or expired token");
    close_unread(res);  // a body from an unknown caller is never read, let alone parsed
    return {};
  }
  return it->second.user_id;
}

bool has_attribution(const Request& req) {
  for (const char* h : {"X-Skill-Source", "X-Skill-Version", "X-Skill-Platform"})
    if (req.get_header_value(h).empty()) return false;
  return true;
}

namespace {

/// Whether `address` may have another new token this minute (and counts it). Under `mutex`.
bool address_may_issue_locked(NodeState& n, const std::string& address, int64_t now) {
  if (n.token_issues_by_address.size() > 10'000)  // forget addresses quiet for a minute
    std::erase_if(n.token_issues_by_address, [&](const auto& e) { return e.second.back() < now - 60; });
  auto& times = n.token_issues_by_address[address];
  while (!times.empty() && times.front() < now - 60) times.pop_front();
  if (static_cast<int>(times.size()) >= n.opt.tokens_per_address_per_minute) return false;
  times.push_back(now);
  return true;
}

}  // namespace

void handle_anonymous_token(NodeState& n, const Request& req, Response& res, const ContentReader& reader) {
  if (!read_body(reader, 64 * 1024)) {
    close_unread(res);
    return fail(res, 413, 413, "request body too large");
  }
  std::string cid = req.get_header_value("X-Client-Id");
  if (cid.empty() || cid.size() > 100) return fail(res, 400, 400, "the X-Client-Id header is required");
  NodeState::Snapshot snapshot;
  Json answer;
  {
    std::lock_guard lock(n.mutex);
    const int64_t now = now_s();
    // A client with a token valid for more than a day gets that token again.
    for (const auto& [tok, t] : n.records.tokens)
      if (t.client_id == cid && t.expires_at - now > kDay) return ok(res, token_answer(tok, t));
    auto& issues = n.records.token_issues[cid];
    std::erase_if(issues, [&](int64_t t) { return t < now - 7 * kDay; });
    if (static_cast<int>(issues.size()) >= n.opt.tokens_per_client)
      return fail(res, 429, 429, "rate limited: too many anonymous tokens for this client; try again later");
    if (!address_may_issue_locked(n, req.remote_addr, now))
      return fail(res, 429, 429, "rate limited: too many new tokens from this address; wait a minute");
    issues.push_back(now);
    std::string token = "nmv_usr_" + random_hex(32);
    NodeToken t{"anon_" + random_hex(12), cid, now + n.opt.token_lifetime.count(), 100};
    n.records.tokens[token] = t;
    snapshot = n.snapshot_locked();
    answer = token_answer(token, t);
  }
  n.write_snapshot(snapshot);
  ok(res, answer);
}

void handle_credits(NodeState& n, const Request& req, Response& res) {
  std::string user = user_of(n, req, res);
  if (user.empty()) return;
  std::lock_guard lock(n.mutex);
  double credits = 0;
  for (const auto& [tok, t] : n.records.tokens)
    if (t.user_id == user) credits = t.credits;
  ok(res, Json{{"available", credits}, {"frozen", 0}, {"total", credits}});
}

}  // namespace reel::cloud::node
