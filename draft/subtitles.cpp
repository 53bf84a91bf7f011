#include "draft/subtitles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>

#include "draft/edit.h"
#include "draft/keys.h"
#include "draft/words.h"

namespace reel::draft {

namespace {

// "00:01:02,345", "00:01:02.345" or (WebVTT) "01:02.345" -> ms; -1 when malformed.
int64_t timestamp_ms(const std::string& t) {
  // Hours up to six digits: more would overflow nothing useful (and a number too long for stoll).
  static const std::regex full(R"((\d{1,6}):([0-5]\d):([0-5]\d)[,.](\d{3}))"),
      short_form(R"(([0-5]\d):([0-5]\d)[,.](\d{3}))");
  std::smatch m;
  if (std::regex_match(t, m, full))
    return ((std::stoll(m[1]) * 60 + std::stoll(m[2])) * 60 + std::stoll(m[3])) * 1000 + std::stoll(m[4]);
  if (std::regex_match(t, m, short_form)) return (std::stoll(m[1]) * 60 + std::stoll(m[2])) * 1000 + std::stoll(m[3]);
  return -1;
}

// The line without its tags: <b>, </i>, <c.yellow> (WebVTT) and {\an8} (SubRip), by a plain
// scan (std::regex recurses per character and a long line would exhaust the stack).
std::string without_tags(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool angle = s[i] == '<', brace = s[i] == '{' && i + 1 < s.size() && s[i + 1] == '\\';
    const size_t close = angle ? s.find('>', i) : brace ? s.find('}', i) : std::string::npos;
    if (close != std::string::npos) {
      i = close;
      continue;
    }
    out += s[i];
  }
  return out;
}

// A timing line is short; a longer one is text, never matched by the regex (see above).
constexpr size_t kMaxTimingLine = 256;

std::string stamp(int64_t ms, char sep) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld%c%03lld", static_cast<long long>(ms / 3600000),
                static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60), sep,
                static_cast<long long>(ms % 1000));
  return buf;
}

}  // namespace

std::vector<Cue> parse_subtitles(std::string_view text, std::string_view origin) {
  std::vector<std::string> lines;
  std::string cur;
  for (char c : text) {
    if (c == '\n')
      lines.push_back(cur), cur.clear();
    else if (c != '\r')
      cur += c;
  }
  lines.push_back(cur);
  if (!lines.empty() && lines[0].rfind("\xEF\xBB\xBF", 0) == 0) lines[0] = lines[0].substr(3);  // a BOM
  const bool vtt = !lines.empty() && lines[0].rfind("WEBVTT", 0) == 0;
  static const std::regex timing(R"(^\s*(\S+)\s+-->\s+(\S+).*$)");
  std::vector<Cue> cues;
  for (size_t i = vtt ? 1 : 0; i < lines.size(); ++i) {
    std::smatch m;
    if (lines[i].size() > kMaxTimingLine || !std::regex_match(lines[i], m, timing))
      continue;  // numbers, NOTE and STYLE blocks, blank lines
    int64_t a = timestamp_ms(m[1]), b = timestamp_ms(m[2]);
    if (a < 0 || b < 0 || b <= a)
      throw DraftError(
          std::string(origin), std::to_string(i + 1),
          "the cue timing \"" + lines[i] +
              "\" is not start --> end (such as 00:00:01,000 --> 00:00:03,500) with the end after the start");
    Cue cue{a, b, ""};
    size_t j = i + 1;
    for (; j < lines.size() && !lines[j].empty(); ++j) {
      // A line that was only tags ("</b>") adds nothing: a cue's text never holds a blank line,
      // which would end the cue when it is written out again.
      const std::string line = without_tags(lines[j]);
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      cue.text += (cue.text.empty() ? "" : "\n") + line;
    }
    i = j;  // the blank line that ends the cue
    if (!cue.text.empty()) cues.push_back(std::move(cue));
  }
  if (cues.empty())
    throw DraftError(
        std::string(origin), "",
        "holds no subtitle cues; give a .srt or .vtt file with lines such as 00:00:01,000 --> 00:00:03,500");
  std::stable_sort(cues.begin(), cues.end(), [](const Cue& x, const Cue& y) { return x.start_ms < y.start_ms; });
  return cues;
}

std::string write_srt(const std::vector<Cue>& cues) {
  std::string out;
  for (size_t i = 0; i < cues.size(); ++i)
    out += std::to_string(i + 1) + "\n" + stamp(cues[i].start_ms, ',') + " --> " + stamp(cues[i].end_ms, ',') + "\n" +
           cues[i].text + "\n\n";
  return out;
}

std::string write_vtt(const std::vector<Cue>& cues) {
  std::string out = "WEBVTT\n\n";
  for (const Cue& c : cues) out += stamp(c.start_ms, '.') + " --> " + stamp(c.end_ms, '.') + "\n" + c.text + "\n\n";
  return out;
}

std::vector<Cue> captions_of(const Draft& draft) {
  auto is_caption = [](const std::string& kind) {
    const std::string k = lower_ascii(kind);
    return k == "subtitle" || k == "caption";
  };
  std::vector<Cue> cues;
  for (const Track& t : draft.tracks) {
    if (t.kind != TrackKind::Text) continue;
    for (const Segment& s : t.segments)
      if (!s.text.text.empty() && s.duration_ms > 0 && is_caption(t.kind_label.empty() ? s.text.kind : t.kind_label))
        cues.push_back({s.start_ms, s.end_ms(), s.text.text});
  }
  std::stable_sort(cues.begin(), cues.end(), [](const Cue& x, const Cue& y) { return x.start_ms < y.start_ms; });
  return cues;
}

void add_caption_tracks(Draft& draft, const std::vector<Cue>& cues) {
  // Each cue on the lowest track free at its start; a track's height is its tallest cue.
  std::vector<std::vector<const Cue*>> lanes;
  std::vector<int64_t> lane_end;
  std::vector<size_t> lane_lines;
  for (const Cue& c : cues) {
    if (c.end_ms <= c.start_ms) continue;
    size_t k = 0;
    while (k < lanes.size() && lane_end[k] > c.start_ms) ++k;
    if (k == lanes.size()) lanes.emplace_back(), lane_end.push_back(0), lane_lines.push_back(1);
    lanes[k].push_back(&c);
    lane_end[k] = c.end_ms;
    lane_lines[k] = std::max<size_t>(lane_lines[k], 1 + size_t(std::count(c.text.begin(), c.text.end(), '\n')));
  }
  // Heights as fractions of the frame, as the renderer lays text out: a line is 1.25 x the size,
  // the box adds 0.15 x the size above and below; the bottom track sits in the 5% margin.
  constexpr double kSize = 0.05, kLine = 1.25 * kSize, kBox = 2 * 0.15 * kSize, kGap = 0.01;
  double top_of_below = 0.95;  // the top edge of the track under the next one
  for (size_t k = 0; k < lanes.size(); ++k) {
    const double height = double(lane_lines[k]) * kLine + kBox;
    const double centre = top_of_below - height / 2;
    top_of_below -= height + kGap;
    Json pos = k == 0 ? Json("bottom") : Json{{"x", 0.5}, {"y", std::round(centre * 10000) / 10000}};
    Json track;
    track[key_name(draft, Key::TrackType)] = 7;
    track[key_name(draft, Key::Metadata)] = {{"kind", "caption"}};
    Json segments = Json::array();
    for (const Cue* c : lanes[k]) {
      Json seg;
      seg[key_name(draft, Key::Start)] = c->start_ms;
      seg[key_name(draft, Key::Duration)] = c->end_ms - c->start_ms;
      seg[key_name(draft, Key::Metadata)] = {{"text", c->text},
                                             {"style", {{"pos", pos}, {"size", kSize}, {"box", "#00000099"}}}};
      segments.push_back(std::move(seg));
    }
    track[key_name(draft, Key::Segments)] = std::move(segments);
    add_track(draft, std::move(track));
  }
}

}  // namespace reel::draft
