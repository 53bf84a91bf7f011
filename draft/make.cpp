#include "draft/make.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

#include "draft/names.h"

namespace reel::draft {

namespace {

std::string base_name(const std::string& ref) {
  auto slash = ref.find_last_of("/\\");
  return slash == std::string::npos ? ref : ref.substr(slash + 1);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "summer_in-lisbon.jpg" -> "Summer in lisbon": a caption from a file name.
std::string caption_from(const std::string& ref) {
  std::string name = base_name(ref);
  auto dot = name.rfind('.');
  if (dot != std::string::npos && dot > 0) name.resize(dot);
  for (auto& c : name)
    if (c == '_' || c == '-') c = ' ';
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

bool portrait(const MediaItem& m) { return m.height > m.width; }

Json text_track(const char* kind) { return {{"tt", 7}, {"m", {{"kind", kind}}}, {"sg", Json::array()}}; }

Json text_segment(int64_t s, int64_t d, const std::string& text, const char* kind, const char* pos, double size,
                  const char* anim_in) {
  Json style = {{"pos", pos}, {"size", size}, {"color", "#FFFFFF"}, {"shadow", "#00000099"}};
  return {
      {"s", s},
      {"d", d},
      {"m",
       {{"text", text}, {"kind", kind}, {"style", style}, {"anim", {{"in", anim_in}, {"out", "fade"}, {"d", 400}}}}}};
}

}  // namespace

bool is_logo(const MediaItem& item) { return lower(base_name(item.reference)).rfind("logo", 0) == 0 || item.has_alpha; }

std::vector<MediaItem> ordered_media(const std::vector<MediaItem>& media) {
  std::vector<MediaItem> out = media;
  std::stable_sort(out.begin(), out.end(), [](const MediaItem& a, const MediaItem& b) {
    bool la = is_logo(a), lb = is_logo(b);
    if (la != lb) return lb;  // logos last
    if (a.captured_at.has_value() != b.captured_at.has_value()) return a.captured_at.has_value();
    if (a.captured_at && *a.captured_at != *b.captured_at) return *a.captured_at < *b.captured_at;
    return base_name(a.reference) < base_name(b.reference);
  });
  return out;
}

std::vector<int64_t> cuts_on_beats(size_t count, int64_t total_ms, const std::vector<int64_t>& beats_ms,
                                   int64_t min_gap_ms) {
  std::vector<int64_t> cuts(count + 1);
  for (size_t i = 0; i <= count; ++i)
    cuts[i] = static_cast<int64_t>(std::llround(static_cast<double>(total_ms) * i / count));
  if (beats_ms.empty() || count < 2) return cuts;
  // Each inner cut goes to the beat nearest its even spacing that keeps the order and the gap.
  for (size_t i = 1; i < count; ++i) {
    int64_t lo = cuts[i - 1] + min_gap_ms;
    int64_t hi = total_ms - static_cast<int64_t>(count - i) * min_gap_ms;
    int64_t best = -1;
    for (int64_t b : beats_ms)
      if (b >= lo && b <= hi && (best < 0 || std::llabs(b - cuts[i]) < std::llabs(best - cuts[i]))) best = b;
    if (best >= 0)
      cuts[i] = best;
    else
      cuts[i] = std::clamp(cuts[i], lo, hi);
  }
  return cuts;
}

namespace {

// The beats, with `parts` - 1 points between each two (a half or a third of a beat), so many
// photos share a beat instead of the song looping.
std::vector<int64_t> beat_grid(const std::vector<int64_t>& beats, int parts) {
  if (parts <= 1 || beats.size() < 2) return beats;
  std::vector<int64_t> grid;
  for (size_t i = 0; i + 1 < beats.size(); ++i)
    for (int k = 0; k < parts; ++k) grid.push_back(beats[i] + (beats[i + 1] - beats[i]) * k / parts);
  grid.push_back(beats.back());
  return grid;
}

struct TextPlace {
  Json pos;
  double max_width;
};
// Where the words of a promo go. In 9:16 they stay out of the platforms' buttons: the bottom
// fifth and the right-hand strip (TikTok, Reels and Shorts draw there).
TextPlace promo_place(const std::string& aspect, bool title) {
  if (aspect == "9:16") return {Json{{"x", 0.45}, {"y", title ? 0.40 : 0.55}}, 0.72};
  if (aspect == "16:9" || aspect == "4:3") return {Json(title ? "center" : "bottom"), 0.8};
  return {Json{{"x", 0.5}, {"y", title ? 0.42 : 0.62}}, 0.84};
}

Json placed_text(int64_t s, int64_t d, const std::string& text, const char* kind, const TextPlace& place, double size,
                 const char* anim_in) {
  Json seg = text_segment(s, d, text, kind, "center", size, anim_in);
  seg["m"]["style"]["pos"] = place.pos;
  seg["m"]["style"]["max_width"] = place.max_width;
  return seg;
}

// Text animations last 400 ms each way; a text stays 1.5 s besides, to be read.
constexpr int64_t kTextAnimMs = 400;
constexpr int64_t kReadableMs = 1500 + 2 * kTextAnimMs;
constexpr int64_t kLoopCrossfadeMs = 2000;

}  // namespace

Json make_draft(const MakeRequest& req) {
  if (req.media.empty()) throw std::invalid_argument("give at least one photo or clip");
  const StyleSpec& spec = style_spec(req.style);
  std::vector<MediaItem> media = ordered_media(req.media);
  const size_t n = media.size();
  const bool vertical = req.aspect == "9:16";
  const bool wide = req.aspect == "16:9" || req.aspect == "4:3";
  const bool fit = req.fit_music && !req.music.empty() && req.music_ms > 0;
  const int64_t photo_ms = std::max<int64_t>(kMinPhotoMs, std::llround(static_cast<double>(spec.photo_ms) * req.pace));

  // Length: --duration; with --fit-music the song (looped, crossfaded, only when the photos
  // cannot share it at a quarter second each); a promo 30 s; else the style's pace a photo.
  const int64_t min_ms = fit ? 250 : kMinPhotoMs;
  int loops = 1;
  int64_t total = 0;
  if (req.duration_ms) {
    total = *req.duration_ms;
  } else if (fit) {
    auto looped = [&](int k) { return k * req.music_ms - (k - 1) * std::min(kLoopCrossfadeMs, req.music_ms / 4); };
    while (looped(loops) < static_cast<int64_t>(n) * min_ms) ++loops;
    total = looped(loops);
  } else {
    total =
        req.style == Style::Promo ? std::llround(30000 * std::min(1.0, req.pace)) : static_cast<int64_t>(n) * photo_ms;
  }
  if (total < static_cast<int64_t>(n) * min_ms)
    throw std::invalid_argument("the video would give each of the " + std::to_string(n) + " photos less than " +
                                (min_ms == kMinPhotoMs ? "half" : "a quarter of") + " a second; make it at least " +
                                seconds_text(static_cast<int64_t>(n) * min_ms) + " s long or use fewer photos");

  // Cuts: on the music's beats for a highlight reel or a video fitted to its song (a few
  // photos a beat when there are many), evenly spaced otherwise.
  std::vector<int64_t> cuts;
  if ((req.style == Style::Highlight || fit) && !req.beats_ms.empty()) {
    int64_t beat = req.beats_ms.size() > 1 ? std::max<int64_t>(1, (req.beats_ms.back() - req.beats_ms.front()) /
                                                                      static_cast<int64_t>(req.beats_ms.size() - 1))
                                           : total;
    int64_t each = total / static_cast<int64_t>(n);
    int parts =
        each >= beat ? 1 : static_cast<int>(std::min<int64_t>(4, (beat + each - 1) / std::max<int64_t>(1, each)));
    cuts = cuts_on_beats(n, total, beat_grid(req.beats_ms, parts), min_ms);
  } else {
    cuts = cuts_on_beats(n, total, {}, min_ms);
  }

  const TransitionType transition = req.transition.value_or(spec.transition);
  auto [w, h] = canvas_for_aspect(req.aspect, "1080p");
  // Every style opens from black and closes to black (m.fi, m.fo), the music with it.
  const int64_t ends = std::min(kEndsFadeMs, total / 4);
  Json draft = {{"m",
                 {{"title", req.title},
                  {"width", w},
                  {"height", h},
                  {"fps", req.fps},
                  {"bg", "#000000"},
                  {"fi", ends},
                  {"fo", ends}}},
                {"d", total},
                {"t", Json::array()}};
  Json video = {{"tt", 0}, {"m", {{"name", std::string(spec.name)}}}, {"sg", Json::array()}};
  for (size_t i = 0; i < n; ++i) {
    const MediaItem& item = media[i];
    int64_t s = cuts[i], d = cuts[i + 1] - cuts[i];
    Json m = Json::object();
    if (is_logo(item) && req.style == Style::Promo && i + 1 == n) {
      m["fit"] = "contain";  // the end card: the whole logo, still
      m["kb"] = "none";
    } else if (portrait(item) && wide) {
      m["fit"] = "blur";  // a vertical photo in a wide video: over a blurred fill of itself
      m["kb"] = spec.ken_burns;
    } else if (vertical && !portrait(item) && !item.is_clip) {
      m["fit"] = "cover";  // a landscape photo in a vertical video: travel across it
      m["kb"] = i % 2 == 0 ? "right" : "left";
    } else {
      m["kb"] = item.is_clip ? "none" : spec.ken_burns;
    }
    if (i > 0 && transition != TransitionType::None) {
      int64_t shorter = std::min(d, cuts[i] - cuts[i - 1]);
      m["tr"] = {{"type", to_string(transition)}, {"d", std::min<int64_t>(spec.transition_ms, shorter / 2)}};
    }
    Json seg = {{"id", "m" + std::to_string(i + 1)}, {"s", s}, {"d", d}, {"src", item.reference}, {"m", m}};
    video["sg"].push_back(std::move(seg));
  }
  draft["t"].push_back(std::move(video));

  if (!req.music.empty()) {
    // Music fades in with the start and out with the end. A loop, when it cannot be helped, is
    // the song again on a second track, crossfaded over the join.
    const int64_t fade_in = std::max(spec.music_fade_in_ms, kEndsFadeMs);
    const int64_t fade_out = std::min(std::max(spec.music_fade_out_ms, kEndsFadeMs), total / 2);
    const int64_t xfade = std::min(kLoopCrossfadeMs, std::max<int64_t>(1, req.music_ms / 4));
    const bool must_loop = req.music_ms > 0 && req.music_ms < total;
    if (!fit || !must_loop) {
      Json m = {{"name", caption_from(req.music)},
                {"vol", spec.music_volume},
                {"fi", fade_in},
                {"fo", fade_out},
                {"loop", must_loop}};
      draft["t"].push_back({{"tt", 1},
                            {"m", {{"name", "BGM"}}},
                            {"sg", Json::array({{{"s", 0}, {"d", total}, {"src", req.music}, {"m", m}}})}});
    } else {
      Json tracks[2] = {{{"tt", 1}, {"m", {{"name", "BGM"}}}, {"sg", Json::array()}},
                        {{"tt", 1}, {"m", {{"name", "BGM (loop)"}}}, {"sg", Json::array()}}};
      for (int64_t k = 0, s = 0; s < total; ++k, s += req.music_ms - xfade) {
        int64_t d = std::min(req.music_ms, total - s);
        bool first = k == 0, last = s + d >= total;
        Json m = {{"name", caption_from(req.music)},
                  {"vol", spec.music_volume},
                  {"fi", first ? fade_in : xfade},
                  {"fo", last ? fade_out : xfade}};
        tracks[k % 2]["sg"].push_back({{"s", s}, {"d", d}, {"src", req.music}, {"m", m}});
        if (last) break;
      }
      draft["t"].push_back(std::move(tracks[0]));
      if (!tracks[1]["sg"].empty()) draft["t"].push_back(std::move(tracks[1]));
    }
  }

  // Words: only what the person wrote (never a file name). A title opens (a highlight reel
  // always has one); the tagline follows it in a promo, closes the others. Each stays long
  // enough to read.
  std::string title = req.title;
  if (title.empty() && req.style == Style::Highlight) title = "Highlights";
  const int64_t readable = std::min(total, kReadableMs);
  if (req.style == Style::Promo) {
    Json t = text_track("text");
    const bool end_card = is_logo(media.back()) && n > 1;
    const int64_t words_end = end_card ? cuts[n - 1] : total;
    int64_t at = std::min<int64_t>(300, std::max<int64_t>(0, total - readable));
    const double title_size = vertical ? 0.06 : 0.09, tagline_size = vertical ? 0.04 : 0.055;
    if (!title.empty()) {
      int64_t d = std::max(readable, std::min<int64_t>(3000, words_end - at));
      d = std::min(d, total - at);
      t["sg"].push_back(placed_text(at, d, title, "title", promo_place(req.aspect, true), title_size, "pop"));
      at += d + 100;
    }
    if (!req.tagline.empty()) {
      if (at + readable > total) at = std::max<int64_t>(0, total - readable);
      int64_t d = std::max(readable, std::min<int64_t>(3000, words_end - at));
      d = std::min(d, total - at);
      // Beside the title when the video is too short for one after the other.
      if (!t["sg"].empty() && at < t["sg"].back()["s"].get<int64_t>() + t["sg"].back()["d"].get<int64_t>()) {
        Json second = text_track("text");
        second["sg"].push_back(
            placed_text(at, d, req.tagline, "text", promo_place(req.aspect, false), tagline_size, "slide-up"));
        draft["t"].push_back(std::move(t));
        draft["t"].push_back(std::move(second));
        return draft;
      }
      t["sg"].push_back(
          placed_text(at, d, req.tagline, "text", promo_place(req.aspect, false), tagline_size, "slide-up"));
    }
    if (!t["sg"].empty()) draft["t"].push_back(std::move(t));
    return draft;
  }
  if (!title.empty()) {
    Json t = text_track("title");
    t["sg"].push_back(text_segment(0, std::min<int64_t>(total, std::max(readable, std::min<int64_t>(3000, total))),
                                   title, "title", "center", 0.08, "fade"));
    draft["t"].push_back(std::move(t));
  }
  if (!req.tagline.empty()) {
    Json t = text_track("text");
    int64_t d = std::min<int64_t>(total, std::max<int64_t>(readable, 3000));
    t["sg"].push_back(text_segment(total - d, d, req.tagline, "text", vertical ? "center" : "bottom", 0.06, "fade"));
    draft["t"].push_back(std::move(t));
  }
  return draft;
}

}  // namespace reel::draft
