#include "engine/audio/mix.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "base/files.h"
#include "draft/fades.h"
#include "draft/summary.h"
#include "draft/time.h"
#include "engine/audio/decoder.h"
#include "engine/audio/limiter.h"
#include "engine/errors.h"

namespace reel::engine {

namespace {

constexpr int64_t kBlock = 1024;  // frames mixed at a time
static_assert(AudioMix::kRate == kAudioRate && AudioMix::kChannels == kAudioChannels);
constexpr int64_t kPerMs = AudioMix::kRate / 1000;
constexpr double kPi = 3.14159265358979323846;

// Ducking (docs/audio.md): a voice is "loud" while its peak envelope (instant attack, 10 ms
// release) is above -30 dBFS; the state holds 250 ms after it falls, so the music does not
// pump between words. The music's gain moves in dB, linearly: down 12 dB in 80 ms, back up
// in 500 ms.
constexpr double kDuckThreshold = 0.0316227766;  // -30 dBFS
constexpr int64_t kDuckHold = 250 * kPerMs;
constexpr double kDuckDownPerSample = 12.0 / (80.0 * kPerMs);
constexpr double kDuckUpPerSample = 12.0 / (500.0 * kPerMs);

std::string secs(int64_t samples) { return draft::seconds_text(samples / kPerMs) + " s"; }

}  // namespace

struct AudioMix::Clip {
  AudioSourceRef ref;
  std::string path;
  AudioSourceInfo info;
  int64_t start = 0, end = 0;  // timeline samples [start, end), end within the render
  int64_t segment_end = 0;     // where the segment ends in the draft (the fade-out's end)
  int64_t in = 0;              // source sample played at `start`
  float volume = 1;
  int64_t fade_in = 0, fade_out = 0;
  bool loop = false, duck = false;
  bool key = false;                       // its level ducks the others
  std::unique_ptr<AudioDecoder> decoder;  // open only while the segment plays
  int64_t next = -1;                      // timeline sample the decoder delivers next
};

double AudioMix::fade_gain(double x) {
  x = std::clamp(x, 0.0, 1.0);
  return std::sin(0.5 * kPi * x);
}

namespace {

// What every placement takes from its segment: where it is and where its sound starts.
AudioPlacement placement_of(const draft::Segment& seg) {
  AudioPlacement p;
  p.pointer = seg.pointer;
  p.reference = seg.source;
  p.start_ms = seg.start_ms;
  p.duration_ms = seg.duration_ms;
  p.in_ms = seg.source_in_ms;
  return p;
}

}  // namespace

std::vector<AudioPlacement> audio_placements(const draft::Draft& draft) {
  std::vector<AudioPlacement> out;
  for (const draft::Track& track : draft.tracks) {
    if (track.kind != draft::TrackKind::Audio) continue;
    std::string kind = track.kind_label;
    std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const draft::Segment& seg : track.segments) {
      if (seg.source.empty()) continue;  // the draft's validation reports it
      AudioPlacement p = placement_of(seg);
      p.volume = seg.audio.volume;
      p.fade_in_ms = seg.audio.fade_in_ms;
      p.fade_out_ms = seg.audio.fade_out_ms;
      p.loop = seg.audio.loop;
      p.duck = seg.audio.duck;
      p.key = kind == "voice";
      out.push_back(std::move(p));
    }
  }
  return out;
}

std::string describe_sound(const std::vector<AudioPlacement>& sounds, const SourceResolver& resolve, int64_t begin,
                           int64_t end, const draft::Loudness& loudness) {
  char buf[320];
  std::snprintf(buf, sizeof buf, "reel-sound|mix=%d|rate=%d|samples=%lld,%lld|loudness=%s%.17g\n", kSoundRevision,
                AudioMix::kRate, static_cast<long long>(begin), static_cast<long long>(end),
                loudness.normalise ? "" : "off,", loudness.normalise ? loudness.lufs : 0.0);
  std::string out = buf;
  for (const AudioPlacement& p : sounds) {
    std::snprintf(buf, sizeof buf,
                  "sound|ms=%lld+%lld|in=%lld|vol=%.17g|fade=%lld,%lld|loop=%d|duck=%d|key=%d|silent=%d|",
                  static_cast<long long>(p.start_ms), static_cast<long long>(p.duration_ms),
                  static_cast<long long>(p.in_ms), p.volume, static_cast<long long>(p.fade_in_ms),
                  static_cast<long long>(p.fade_out_ms), int(p.loop), int(p.duck), int(p.key), int(p.may_be_silent));
    out += buf;
    try {
      out += base::file_identity(resolve ? resolve(p.reference) : p.reference);
    } catch (const std::exception&) {
      out += "unresolved";  // the mix reports it
    }
    out += "\n";
  }
  return out;
}

std::vector<AudioPlacement> sound_placements(const draft::Draft& draft) {
  std::vector<AudioPlacement> out = audio_placements(draft);
  // The draft's end fades (m.fi, m.fo) take a clip's own sound with its picture: a clip on
  // screen in the first fi ms fades in until fi, one still on in the last fo ms fades out by
  // the end. (The music has fades of its own, which reel make sets to match.)
  const draft::EndFades ends = draft::end_fades(draft);
  const int64_t draft_end = draft.duration_ms();
  for (const draft::Track& track : draft.tracks) {
    if (track.kind != draft::TrackKind::Video) continue;
    for (const draft::Segment& seg : track.segments) {
      if (seg.source.empty() || !draft::looks_like_clip(seg.source) || seg.video.mute) continue;
      AudioPlacement p = placement_of(seg);
      p.volume = seg.video.volume;
      p.loop = seg.video.loop;
      p.key = true;            // it ducks the music that ducks
      p.may_be_silent = true;  // a clip without a sound track plays nothing, no error
      if (ends.in_ms > 0 && p.start_ms < ends.in_ms) p.fade_in_ms = ends.in_ms - p.start_ms;
      if (ends.out_ms > 0 && p.start_ms + p.duration_ms > draft_end - ends.out_ms)
        p.fade_out_ms = std::min(p.duration_ms, p.start_ms + p.duration_ms - (draft_end - ends.out_ms));
      p.fade_in_ms = std::min(p.fade_in_ms, p.duration_ms);
      out.push_back(std::move(p));
    }
  }
  return out;
}

int64_t AudioMix::total_samples_for(const draft::Draft& draft, draft::Rational fps) {
  return draft::samples_before_frame(draft::frame_count(draft.duration_ms(), fps), fps, kRate);
}

AudioMix::AudioMix(const draft::Draft& draft, const SourceResolver& resolve, draft::Rational fps,
                   const MediaLimits& limits)
    : AudioMix(audio_placements(draft), total_samples_for(draft, fps), resolve, limits) {}

AudioMix::AudioMix(const std::vector<AudioPlacement>& sounds, int64_t total_samples, const SourceResolver& resolve,
                   const MediaLimits& limits)
    : limiter_(std::make_unique<TruePeakLimiter>(kCeilingDbtp)), total_(total_samples) {
  struct Probed {
    std::optional<AudioSourceInfo> info;
    std::vector<MediaIssue> issues;
  };
  std::map<std::string, Probed> probed;  // by path: a file used many times is probed once
  std::vector<MediaIssue> issues;
  auto add_issues = [&](const std::vector<MediaIssue>& found, const AudioSourceRef& ref) {
    for (MediaIssue i : found) {
      i.pointer = ref.pointer;
      if (i.file.empty()) i.file = ref.reference;
      issues.push_back(std::move(i));
    }
  };

  for (const AudioPlacement& p : sounds) {
    AudioSourceRef ref{p.pointer, p.reference};
    std::string path = p.reference;
    try {
      if (resolve) path = resolve(p.reference);
    } catch (const MediaError& e) {
      add_issues(e.issues(), ref);
      continue;
    }
    auto [it, fresh] = probed.try_emplace(path);
    if (fresh) {
      try {
        it->second.info = probe_audio(path, ref, limits, p.may_be_silent);
      } catch (const MediaError& e) {
        it->second.issues = e.issues();
      }
    }
    if (!it->second.info) {
      add_issues(it->second.issues, ref);
      continue;
    }
    if (it->second.info->length == 0) continue;  // a clip without sound (may_be_silent)
    auto c = std::make_unique<Clip>();
    c->ref = ref;
    c->path = path;
    c->info = *it->second.info;
    c->in = p.in_ms * kPerMs;
    c->start = p.start_ms * kPerMs;
    c->segment_end = (p.start_ms + p.duration_ms) * kPerMs;
    c->end = std::min(c->segment_end, total_);
    c->volume = static_cast<float>(p.volume);
    c->fade_in = p.fade_in_ms * kPerMs;
    c->fade_out = p.fade_out_ms * kPerMs;
    c->loop = p.loop;
    c->key = p.key;
    c->duck = p.duck && !p.key;
    if (c->in >= c->info.length) {
      issues.push_back({ref.pointer, ref.reference,
                        "the segment starts " + secs(c->in) + " into the file (in), but the file is only " +
                            secs(c->info.length) + " long",
                        "set in below " + secs(c->info.length) + " or choose a longer file"});
      continue;
    }
    const int64_t plays = c->info.length - c->in;
    if (!c->loop && plays + kPerMs < c->segment_end - c->start) {
      notices_.push_back(ref.pointer + ": " + ref.reference + " ends " + secs(c->segment_end - c->start - plays) +
                         " before its segment does: silence after it (set loop to repeat it)");
    }
    if (c->start >= c->end) {
      notices_.push_back(ref.pointer + ": " + ref.reference + " starts after the video ends (" + secs(total_) +
                         "): not heard");
      continue;
    }
    clips_.push_back(std::move(c));
  }
  std::stable_partition(clips_.begin(), clips_.end(), [](const auto& c) { return c->key; });
  if (!issues.empty()) throw MediaError(std::move(issues));

  key_buf_.resize(kBlock * kChannels);
  clip_buf_.resize(kBlock * kChannels);
  duck_gain_.resize(kBlock);
  seek(0);
}

AudioMix::~AudioMix() = default;

void AudioMix::set_gain_db(double db) {
  gain_db_ = db;
  gain_ = static_cast<float>(std::pow(10.0, db / 20.0));
}

void AudioMix::seek(int64_t sample) {
  pos_ = std::clamp<int64_t>(sample, 0, total_);
  for (auto& c : clips_) c->next = -1;
  duck_db_ = 0;
  key_env_ = 0;
  duck_hold_ = 0;
  limiter_->reset();
  // Prime the limiter's look-ahead: its first latency() outputs are before `sample`.
  premix_pos_ = pos_;
  std::vector<float> prime(size_t(limiter_->latency()) * kChannels);
  premix(prime.data(), premix_pos_, limiter_->latency());
  limiter_->process(prime.data(), limiter_->latency());
  premix_pos_ += limiter_->latency();
}

int64_t AudioMix::render(float* out, int64_t frames) {
  const int64_t n = std::clamp<int64_t>(total_ - pos_, 0, frames);
  for (int64_t done = 0; done < n;) {
    const int64_t chunk = std::min(kBlock, n - done);
    float* block = out + done * kChannels;
    premix(block, premix_pos_, chunk);
    limiter_->process(block, chunk);
    premix_pos_ += chunk;
    done += chunk;
  }
  pos_ += n;
  return n;
}

void AudioMix::premix(float* out, int64_t from, int64_t frames) {
  for (int64_t done = 0; done < frames;) {
    const int64_t n = std::min(kBlock, frames - done);
    const int64_t at = from + done;
    float* mix = out + done * kChannels;
    std::fill(mix, mix + n * kChannels, 0.0f);
    std::fill(key_buf_.begin(), key_buf_.begin() + n * kChannels, 0.0f);
    // Voices first: their sum is the key that ducks the others.
    for (auto& c : clips_)
      if (c->key) play_clip(*c, key_buf_.data(), at, n, nullptr);
    duck_gains(key_buf_.data(), n, duck_gain_.data());
    for (int64_t i = 0; i < n * kChannels; ++i) mix[i] = key_buf_[size_t(i)];
    for (auto& c : clips_)
      if (!c->key) play_clip(*c, mix, at, n, duck_gain_.data());
    if (gain_ != 1.0f)
      for (int64_t i = 0; i < n * kChannels; ++i) mix[i] *= gain_;
    done += n;
  }
}

void AudioMix::duck_gains(const float* key, int64_t frames, float* gains) {
  const double release = std::exp(-1.0 / (10.0 * kPerMs));
  for (int64_t i = 0; i < frames; ++i) {
    const double level = std::max(std::fabs(key[i * 2]), std::fabs(key[i * 2 + 1]));
    key_env_ = level > key_env_ ? level : key_env_ * release;
    if (key_env_ > kDuckThreshold) {
      duck_hold_ = kDuckHold;
    } else if (duck_hold_ > 0) {
      --duck_hold_;
    }
    const double target = duck_hold_ > 0 ? kDuckDb : 0.0;
    if (duck_db_ > target) {
      duck_db_ = std::max(target, duck_db_ - kDuckDownPerSample);
    } else if (duck_db_ < target) {
      duck_db_ = std::min(target, duck_db_ + kDuckUpPerSample);
    }
    gains[i] = duck_db_ == 0.0 ? 1.0f : static_cast<float>(std::pow(10.0, duck_db_ / 20.0));
  }
}

void AudioMix::play_clip(Clip& c, float* out, int64_t from, int64_t frames, const float* duck) {
  const int64_t a = std::max(from, c.start), b = std::min(from + frames, c.end);
  if (a >= b) {
    if (from >= c.end && c.decoder) c.decoder.reset();  // done: free it
    return;
  }
  if (!c.decoder) {
    c.decoder = std::make_unique<AudioDecoder>(c.path, c.ref, c.info);
    c.next = -1;
  }
  const int64_t loop_len = c.info.length - c.in;
  bool ended = false;
  if (c.next != a) {
    int64_t src = c.in + (a - c.start);
    if (c.loop) src = c.in + (a - c.start) % loop_len;
    if (src >= c.info.length) {
      ended = true;
    } else {
      c.decoder->seek(src);
    }
  }
  const int64_t n = b - a;
  float* buf = clip_buf_.data();
  int64_t got = ended ? 0 : c.decoder->read(buf, n);
  while (got < n && c.loop && !ended) {
    c.decoder->seek(c.in);  // repeat the trimmed source from its `in`
    const int64_t more = c.decoder->read(buf + got * kChannels, n - got);
    if (more == 0) break;
    got += more;
  }
  // A source shorter than its segment (no loop): silence after it, as documented.
  std::fill(buf + got * kChannels, buf + n * kChannels, 0.0f);
  c.next = b;

  float* dst = out + (a - from) * kChannels;
  const bool fading = a - c.start < c.fade_in || c.segment_end - b < c.fade_out;
  for (int64_t i = 0; i < n; ++i) {
    double g = c.volume;
    if (fading) {
      const int64_t t = a + i;
      if (t - c.start < c.fade_in) g *= fade_gain(double(t - c.start) / double(c.fade_in));
      if (c.segment_end - t < c.fade_out) g *= fade_gain(double(c.segment_end - t) / double(c.fade_out));
    }
    float gf = static_cast<float>(g);
    if (duck && c.duck) gf *= duck[a - from + i];
    dst[i * 2] += buf[i * 2] * gf;
    dst[i * 2 + 1] += buf[i * 2 + 1] * gf;
  }
  if (b >= c.end) c.decoder.reset();
}

}  // namespace reel::engine
