// Renders kept in chunks: a render assembled from kept chunks is the render from nothing,
// frame for frame and sample for sample, after every kind of edit; nothing stale is reused;
// the joined MP4 is one continuous stream with an IDR frame at each chunk's start.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "draft/model.h"
#include "engine/av/handles.h"
#include "engine/compose/chunks.h"
#include "engine/errors.h"
#include "engine/plan/render_plan.h"
#include "engine/render.h"
#include "engine/text/layer.h"
#include "support/clip_writer.h"
#include "tests/engine/audio/audio_fixtures.h"
#include "tests/engine/support/media_fixtures.h"

namespace reel::test {
namespace {

using engine::RenderOptions;
using engine::RenderResult;

// Six photos of 1.5 s with moves, transitions, a title and music: 270 frames at 30 fps.
struct Project {
  TempDir dir;
  Json draft;
  std::string chunks = dir.file("chunks");
  Project() {
    for (int i = 0; i < 7; ++i)
      write_image(dir.file("p" + std::to_string(i) + ".png"), detailed_photo(400, 300, 10 + i));
    write_audio(dir.file("music.wav"), 48000, 2, 48000 * 10, sine(440, -12, 48000));
    draft = slideshow_json(160, 96, 30, {"p0.png", "p1.png", "p2.png", "p3.png", "p4.png", "p5.png"}, 1500);
    const char* moves[] = {"in", "left", "out", "right", "up", "down"};
    for (int i = 0; i < 6; ++i) {
      Json& m = draft["t"][0]["sg"][i]["m"];
      m["kb"] = moves[i];
      if (i > 0) m["tr"] = {{"type", i % 2 ? "fade" : "wipeleft"}, {"d", 400}};
    }
    draft["t"].push_back(
        {{"tt", 7},
         {"m", {{"kind", "title"}}},
         {"sg", Json::array({{{"s", 200}, {"d", 1800}, {"m", {{"text", "Summer"}, {"style", {{"size", 0.2}}}}}}})}});
    draft["t"].push_back(audio_track("music.wav", 0, 9000, {{"fo", 1000}}));
  }
  RenderOptions options(bool keep) const {
    RenderOptions o;
    o.base_dir = dir.path().string();
    o.crf = 0;  // lossless: the decoded frames are the composed ones
    o.x264_preset = "ultrafast";
    o.threads = 2;
    if (keep) o.chunk_dir = chunks;
    return o;
  }
  RenderResult render(const std::string& name, bool keep, const std::function<void(RenderOptions&)>& tweak = {}) {
    RenderOptions o = options(keep);
    if (tweak) tweak(o);
    return engine::render_to_file(load(draft), dir.file(name), o);
  }
};

void expect_same_frames(const std::string& a, const std::string& b) {
  const auto fa = decode_yuv(a), fb = decode_yuv(b);
  ASSERT_EQ(fa.size(), fb.size());
  for (size_t n = 0; n < fa.size(); ++n)
    for (int p = 0; p < 3; ++p)
      ASSERT_EQ(cv::norm(fa[n][size_t(p)], fb[n][size_t(p)], cv::NORM_INF), 0) << "frame " << n << " plane " << p;
}

void expect_same_sound(const std::string& a, const std::string& b) {
  const std::vector<float> sa = decode_48k(a), sb = decode_48k(b);
  ASSERT_EQ(sa.size(), sb.size());
  ASSERT_FALSE(sa.empty());
  for (size_t i = 0; i < sa.size(); ++i) ASSERT_EQ(sa[i], sb[i]) << "sample " << i;
}

std::string bytes_of(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

TEST(ChunkedRender, ASecondRenderKeepsEveryChunkAndTheSoundAndWritesTheSameFile) {
  Project p;
  const RenderResult first = p.render("a.mp4", true);
  EXPECT_GT(first.chunks, 6);
  EXPECT_EQ(first.chunks_rendered, first.chunks);
  EXPECT_EQ(first.frames_rendered, 270);
  EXPECT_FALSE(first.sound_kept);
  const RenderResult second = p.render("b.mp4", true);
  EXPECT_EQ(second.chunks, first.chunks);
  EXPECT_EQ(second.chunks_rendered, 0);
  EXPECT_EQ(second.frames_rendered, 0);
  EXPECT_TRUE(second.sound_kept);
  EXPECT_EQ(bytes_of(p.dir.file("a.mp4")), bytes_of(p.dir.file("b.mp4")));
  const RenderResult fresh = p.render("c.mp4", false);
  EXPECT_EQ(fresh.chunks_rendered, fresh.chunks);
  EXPECT_EQ(bytes_of(p.dir.file("a.mp4")), bytes_of(p.dir.file("c.mp4")));
}

// One kind of edit: what it does to the draft or its files.
struct Edit {
  const char* name;
  std::function<void(Project&)> apply;
  bool local;  // some chunks stay kept
};

TEST(ChunkedRender, AfterEachKindOfEditTheRenderEqualsAFreshRenderOfTheEditedDraft) {
  Project p;
  p.render("start.mp4", true);
  const std::vector<Edit> edits = {
      {"one photo's move", [](Project& q) { q.draft["t"][0]["sg"][2]["m"]["kb"] = "up"; }, true},
      {"the title's words", [](Project& q) { q.draft["t"][1]["sg"][0]["m"]["text"] = "Winter"; }, true},
      {"the title's colour", [](Project& q) { q.draft["t"][1]["sg"][0]["m"]["style"]["color"] = "#FFCC00"; }, true},
      {"one transition's type", [](Project& q) { q.draft["t"][0]["sg"][3]["m"]["tr"]["type"] = "circleopen"; }, true},
      {"one transition's length", [](Project& q) { q.draft["t"][0]["sg"][4]["m"]["tr"]["d"] = 800; }, true},
      {"one photo's fit", [](Project& q) { q.draft["t"][0]["sg"][1]["m"]["fit"] = "blur"; }, true},
      {"another photo", [](Project& q) { q.draft["t"][0]["sg"][5]["src"] = "p6.png"; }, true},
      {"a photo's file rewritten in place",
       [](Project& q) { write_image(q.dir.file("p3.png"), detailed_photo(400, 300, 99)); }, true},
      {"a photo longer (what follows moves)",
       [](Project& q) {
         auto& sg = q.draft["t"][0]["sg"];
         sg[3]["d"] = 2000;
         for (int i = 4; i < 6; ++i) sg[i]["s"] = sg[i]["s"].get<int64_t>() + 500;
       },
       true},
      {"a photo removed",
       [](Project& q) {
         auto& sg = q.draft["t"][0]["sg"];
         sg.erase(sg.begin() + 5);
       },
       true},
      {"a photo added",
       [](Project& q) {
         auto& sg = q.draft["t"][0]["sg"];
         const int64_t end = sg.back()["s"].get<int64_t>() + sg.back()["d"].get<int64_t>();
         sg.push_back({{"s", end},
                       {"d", 1500},
                       {"src", "p6.png"},
                       {"m", {{"kb", "in"}, {"tr", {{"type", "fade"}, {"d", 400}}}}}});
       },
       true},
      {"the music quieter", [](Project& q) { q.draft["t"][2]["sg"][0]["m"]["vol"] = 0.5; }, true},
      {"the background colour", [](Project& q) { q.draft["m"]["bg"] = "#203040"; }, false},
      {"the canvas size", [](Project& q) { q.draft["m"]["width"] = 192; }, false},
  };
  int n = 0;
  for (const Edit& e : edits) {
    SCOPED_TRACE(e.name);
    const int64_t length = load(p.draft).duration_ms();
    e.apply(p);
    const bool same_length = load(p.draft).duration_ms() == length;
    const std::string kept = "kept" + std::to_string(n) + ".mp4", fresh = "fresh" + std::to_string(n) + ".mp4";
    ++n;
    const RenderResult r = p.render(kept, true);
    p.render(fresh, false);
    expect_same_frames(p.dir.file(kept), p.dir.file(fresh));
    expect_same_sound(p.dir.file(kept), p.dir.file(fresh));
    if (std::string(e.name) == "the music quieter") {
      EXPECT_EQ(r.chunks_rendered, 0);  // sound only
      EXPECT_FALSE(r.sound_kept);
    } else {
      EXPECT_GT(r.chunks_rendered, 0);
      if (same_length) EXPECT_TRUE(r.sound_kept);  // the music is as it was
      if (e.local)
        EXPECT_LT(r.chunks_rendered, r.chunks);
      else
        EXPECT_EQ(r.chunks_rendered, r.chunks);
    }
  }
}

TEST(ChunkedRender, AChunkThatStartsInsideAClipShowsTheClipsPicturesAsARenderFromNothing) {
  Project p;
  std::vector<int64_t> pts;
  for (int i = 0; i < 180; ++i) pts.push_back(i * 40);  // 7.2 s at 25 fps, with its own tone
  write_clip(p.dir.path() / "clip.mp4", 160, 96, pts, 0, "libx264", 330);
  auto& sg = p.draft["t"][0]["sg"];
  sg[2] = {{"s", 3000}, {"d", 6000}, {"src", "clip.mp4"}, {"m", {{"tr", {{"type", "fade"}, {"d", 400}}}}}};
  for (int i = 3; i < 6; ++i) sg[i]["s"] = 9000 + (i - 3) * 1500;
  p.render("a.mp4", true);
  // A caption over the clip's second half: the chunks there render again, starting mid-clip.
  p.draft["t"][1]["sg"].push_back({{"s", 6500}, {"d", 1000}, {"m", {{"text", "Look"}}}});
  const RenderResult r = p.render("b.mp4", true);
  EXPECT_GT(r.chunks_rendered, 0);
  EXPECT_LT(r.chunks_rendered, r.chunks);
  p.render("fresh.mp4", false);
  expect_same_frames(p.dir.file("b.mp4"), p.dir.file("fresh.mp4"));
  expect_same_sound(p.dir.file("b.mp4"), p.dir.file("fresh.mp4"));
}

TEST(ChunkedRender, AnEditOfOnePhotosMoveRendersOnlyTheChunksThatShowIt) {
  Project p;
  p.render("a.mp4", true);
  p.draft["t"][0]["sg"][2]["m"]["kb"] = "up";
  const RenderResult r = p.render("b.mp4", true);
  // Photo 2 is on screen from 2.8 s to 4.7 s: 57 of 270 frames, with its transitions.
  EXPECT_GT(r.frames_rendered, 50);
  EXPECT_LE(r.frames_rendered, 70);
  EXPECT_TRUE(r.sound_kept);
}

TEST(ChunkedRender, ChunksRenderedSideBySideHoldTheBytesOfARenderInOneLane) {
  Project p;
  // One x264 thread a chunk whatever the preset: N cores, N lanes.
  for (const engine::Preset preset : {engine::Preset::Preview, engine::Preset::Final}) {
    SCOPED_TRACE(preset == engine::Preset::Preview ? "preview" : "final");
    auto lossy = [preset](int threads) {
      return [preset, threads](RenderOptions& o) {
        o.preset = preset;
        o.crf = 23;
        o.x264_preset = "veryfast";  // B-frames and a lookahead
        o.threads = threads;
      };
    };
    const RenderResult one = p.render("one.mp4", false, lossy(1));
    const RenderResult two = p.render("two.mp4", false, lossy(2));
    const RenderResult six = p.render("six.mp4", false, lossy(6));
    EXPECT_EQ(one.chunks_rendered, one.chunks);
    EXPECT_EQ(six.frames_rendered, 270);
    const std::string bytes = bytes_of(p.dir.file("one.mp4"));
    EXPECT_GT(bytes.size(), 1000u);
    EXPECT_TRUE(bytes == bytes_of(p.dir.file("two.mp4")));
    EXPECT_TRUE(bytes == bytes_of(p.dir.file("six.mp4")));
  }
}

TEST(ChunkedRender, ACancelledRenderOverSeveralLanesStopsThemAllAndWritesNothing) {
  Project p;
  std::atomic<bool> cancel{false};
  RenderOptions o = p.options(true);
  o.preset = engine::Preset::Preview;
  o.threads = 3;
  int64_t seen = 0;
  const std::string out = p.dir.file("cancelled.mp4");
  EXPECT_THROW(engine::render_to_file(
                   load(p.draft), out, o,
                   [&](const engine::RenderProgress& pr) {
                     seen = pr.frames_done;
                     // Cancelled once a lane has kept its first chunk (a frame count alone raced
                     // the lanes: under ASan none had finished one at frame 40).
                     std::error_code ec;
                     for (const auto& e : std::filesystem::directory_iterator(p.chunks, ec))
                       if (e.path().extension() == ".mp4") cancel = true;
                   },
                   &cancel),
               engine::Cancelled);
  EXPECT_LT(seen, 270);
  EXPECT_FALSE(std::filesystem::exists(out));
  // What the lanes finished is kept whole; nothing half-written is left in the folder.
  for (const auto& e : std::filesystem::directory_iterator(p.chunks))
    EXPECT_EQ(e.path().extension(), ".mp4") << e.path();
  const RenderResult again = p.render("again.mp4", true, [](RenderOptions& a) { a.preset = engine::Preset::Preview; });
  EXPECT_LT(again.chunks_rendered, again.chunks);
}

TEST(ChunkedRender, ChangingAnyEncoderSettingOrTheFrameRateRendersEveryChunkAgain) {
  Project p;
  p.render("a.mp4", true);
  const std::vector<std::pair<const char*, std::function<void(RenderOptions&)>>> changes = {
      {"x264 preset", [](RenderOptions& o) { o.x264_preset = "superfast"; }},
      {"crf", [](RenderOptions& o) { o.crf = 30; }},
      {"fps",
       [](RenderOptions& o) {
         o.fps = draft::Rational{25, 1};
       }},
      {"size", [](RenderOptions& o) { o.width = 128, o.height = 72; }},
  };
  for (const auto& [name, change] : changes) {
    SCOPED_TRACE(name);
    const RenderResult r = p.render(std::string(name) + ".mp4", true, change);
    EXPECT_EQ(r.chunks_rendered, r.chunks);
  }
}

TEST(ChunkedRender, AnotherLoudnessTargetEncodesTheSoundAgainAndKeepsEveryChunk) {
  Project p;
  p.render("a.mp4", true);
  for (const draft::Loudness& target : {draft::Loudness{true, -20}, draft::Loudness{false}}) {
    SCOPED_TRACE(target.normalise ? "-20 LUFS" : "off");
    const RenderResult r =
        p.render(target.normalise ? "quieter.mp4" : "off.mp4", true, [&](RenderOptions& o) { o.loudness = target; });
    EXPECT_EQ(r.chunks_rendered, 0);
    EXPECT_FALSE(r.sound_kept);
  }
  EXPECT_TRUE(p.render("again.mp4", true).sound_kept) << "the default target's sound is still kept";
}

TEST(ChunkedRender, ADamagedOrForeignChunkIsRenderedAgain) {
  Project p;
  p.render("a.mp4", true);
  std::vector<std::filesystem::path> entries;
  for (const auto& e : std::filesystem::directory_iterator(p.chunks))
    if (e.path().string().find(".chunk.mp4") != std::string::npos) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  ASSERT_GE(entries.size(), 3u);
  std::filesystem::resize_file(entries[0], std::filesystem::file_size(entries[0]) / 2);                   // cut short
  std::filesystem::copy_file(entries[2], entries[1], std::filesystem::copy_options::overwrite_existing);  // foreign
  const RenderResult r = p.render("b.mp4", true);
  EXPECT_EQ(r.chunks_rendered, 2);
  expect_same_frames(p.dir.file("a.mp4"), p.dir.file("b.mp4"));
}

TEST(ChunkedRender, ARangeReusesTheChunksInsideItAndRendersItsEdges) {
  Project p;
  p.render("all.mp4", true);
  const RenderResult r = p.render("range.mp4", true, [](RenderOptions& o) {
    o.from_ms = 2100;
    o.to_ms = 6100;
  });
  EXPECT_EQ(r.frames, 120);
  EXPECT_LT(r.chunks_rendered, r.chunks);
  EXPECT_LE(r.chunks_rendered, 2);  // at most the two cut at the range's edges
  p.render("fresh.mp4", false, [](RenderOptions& o) {
    o.from_ms = 2100;
    o.to_ms = 6100;
  });
  expect_same_frames(p.dir.file("range.mp4"), p.dir.file("fresh.mp4"));
  expect_same_sound(p.dir.file("range.mp4"), p.dir.file("fresh.mp4"));
}

TEST(ChunkedRender, TheFolderIsKeptWithinItsBudgetButNeverBelowWhatTheRenderUses) {
  Project p;
  p.render("a.mp4", true);
  p.draft["m"]["bg"] = "#FF0000";
  const RenderResult r = p.render("b.mp4", true, [](RenderOptions& o) { o.chunk_budget_bytes = 1; });
  EXPECT_EQ(r.chunks_rendered, r.chunks);
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(p.chunks))
    entries += e.path().string().find(".chunk.mp4") != std::string::npos;
  EXPECT_EQ(entries, r.chunks);  // the first render's are gone, this one's stay
  const RenderResult again = p.render("c.mp4", true, [](RenderOptions& o) { o.chunk_budget_bytes = 1; });
  EXPECT_EQ(again.chunks_rendered, 0);
}

TEST(ChunkedRender, ACacheFolderThatCannotBeMadeCostsTheReuseNotTheRender) {
  Project p;
  { std::ofstream(p.dir.file("in-the-way")) << "a file where the folder should be"; }
  auto blocked = [&](RenderOptions& o) { o.chunk_dir = p.dir.file("in-the-way") + "/chunks"; };
  const RenderResult r = p.render("a.mp4", true, blocked);
  EXPECT_EQ(r.chunks_rendered, r.chunks);
  EXPECT_EQ(probe_video(p.dir.file("a.mp4")).frames, 270);
  EXPECT_EQ(p.render("b.mp4", true, blocked).chunks_rendered, r.chunks);  // nothing was kept
}

TEST(ChunkedRender, ARenderThatKeepsNothingLeavesNothingBehind) {
  Project p;
  const std::string tmp = p.dir.file("tmp");
  std::filesystem::create_directory(tmp);
  const char* was = std::getenv("TMPDIR");
  const std::string saved = was ? was : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  p.render("a.mp4", false);
  was ? ::setenv("TMPDIR", saved.c_str(), 1) : ::unsetenv("TMPDIR");
  EXPECT_TRUE(std::filesystem::is_empty(tmp));
  EXPECT_FALSE(std::filesystem::exists(p.chunks));
  EXPECT_EQ(probe_video(p.dir.file("a.mp4")).frames, 270);
}

// What libavformat reads back from a joined file.
struct Packet {
  int64_t pts, dts;
  bool key, idr;
};

bool starts_an_idr(const AVPacket* p) {
  // AVCC: 4-byte big-endian lengths, each followed by a NAL unit; type 5 is an IDR slice.
  for (int i = 0; i + 4 < p->size;) {
    const uint32_t len = uint32_t(p->data[i]) << 24 | uint32_t(p->data[i + 1]) << 16 | uint32_t(p->data[i + 2]) << 8 |
                         uint32_t(p->data[i + 3]);
    if ((p->data[i + 4] & 0x1f) == 5) return true;
    i += 4 + int(len);
  }
  return false;
}

std::vector<Packet> video_packets(const std::string& path, AVRational frame_tb) {
  AVFormatContext* raw = nullptr;
  EXPECT_EQ(avformat_open_input(&raw, path.c_str(), nullptr, nullptr), 0);
  engine::av::InputPtr in(raw);
  const int vs = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  std::vector<Packet> out;
  engine::av::PacketPtr pkt = engine::av::alloc_packet();
  while (av_read_frame(raw, pkt.get()) >= 0) {
    if (pkt->stream_index == vs) {
      av_packet_rescale_ts(pkt.get(), raw->streams[vs]->time_base, frame_tb);
      out.push_back({pkt->pts, pkt->dts, (pkt->flags & AV_PKT_FLAG_KEY) != 0, starts_an_idr(pkt.get())});
    }
    av_packet_unref(pkt.get());
  }
  return out;
}

TEST(ChunkedRender, TheJoinedFileIsOneContinuousStreamWithAnIdrAtEachChunkStart) {
  Project p;
  // veryfast has B-frames: decode order differs from display order across every join.
  auto final_like = [](RenderOptions& o) {
    o.x264_preset = "veryfast";
    o.crf = 20;
  };
  p.render("a.mp4", true, final_like);
  p.draft["t"][0]["sg"][2]["m"]["kb"] = "up";  // half from kept chunks, half new
  p.render("b.mp4", true, final_like);

  RenderOptions o = p.options(true);
  final_like(o);
  const draft::Draft d = load(p.draft);
  const engine::Plan plan = engine::make_plan(d, o);
  engine::TextLayer text(d, plan.width, plan.height, plan.fps, engine::resolver_for(o));
  const std::vector<engine::Chunk> chunks = engine::plan_chunks(plan, text, "");
  std::set<int64_t> starts;
  for (const auto& c : chunks) starts.insert(c.begin);

  const std::vector<Packet> packets = video_packets(p.dir.file("b.mp4"), AVRational{1, 30});
  ASSERT_EQ(packets.size(), 270u);
  std::set<int64_t> pts;
  for (size_t i = 0; i < packets.size(); ++i) {
    if (i > 0) EXPECT_EQ(packets[i].dts, packets[i - 1].dts + 1) << "packet " << i;  // no gap, no repeat
    pts.insert(packets[i].pts);
    if (starts.count(packets[i].pts)) {
      EXPECT_TRUE(packets[i].key && packets[i].idr) << "chunk start " << packets[i].pts;
      // Nothing before a chunk's start in display order comes after its IDR in decode order.
      for (size_t j = i + 1; j < packets.size(); ++j) EXPECT_GT(packets[j].pts, packets[i].pts - 1) << j;
    }
  }
  EXPECT_EQ(pts.size(), 270u);
  EXPECT_EQ(*pts.begin(), 0);
  EXPECT_EQ(*pts.rbegin(), 269);
  VideoProbe probe = probe_video(p.dir.file("b.mp4"));
  EXPECT_NEAR(probe.duration, 9.0, 0.03);
  EXPECT_TRUE(probe.has_audio);
}

// Parts of one render, each rendered as if on its own worker (nothing kept), and their join.
struct PartedRender {
  Project& p;
  std::function<void(RenderOptions&)> tweak;
  RenderOptions options() const {
    RenderOptions o = p.options(false);
    if (tweak) tweak(o);
    return o;
  }
  std::vector<std::string> render_parts(int parts, const std::string& stem) {
    std::vector<std::string> paths;
    for (int i = 1; i <= parts; ++i) {
      paths.push_back(p.dir.file(stem + "-" + std::to_string(i) + ".mp4"));
      const RenderResult r = engine::render_part(load(p.draft), i, parts, paths.back(), options());
      EXPECT_EQ(r.chunks_rendered, r.chunks);
    }
    return paths;
  }
  RenderResult join(const std::vector<std::string>& paths, const std::string& out) {
    return engine::join_parts(load(p.draft), paths, p.dir.file(out), options());
  }
};

// A join of `paths` refused as bad input with a message holding `message`, nothing written.
void expect_join_refused(PartedRender& parted, const std::vector<std::string>& paths, const std::string& message) {
  SCOPED_TRACE(message);
  try {
    parted.join(paths, "out.mp4");
    ADD_FAILURE() << "joined";
  } catch (const base::Error& e) {
    EXPECT_EQ(e.fault(), base::Fault::Input);
    EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(parted.p.dir.file("out.mp4")));
}

TEST(RenderParts, JoinedFromOneTwoThreeOrSevenPartsTheVideoHasTheWholeRendersFramesAndSamples) {
  Project p;
  PartedRender parted{p, {}};
  p.render("whole.mp4", false);
  const std::vector<float> whole_sound = decode_48k(p.dir.file("whole.mp4"));
  for (int parts : {1, 2, 3, 7}) {
    SCOPED_TRACE(std::to_string(parts) + " parts");
    const engine::PartPlan plan = engine::plan_parts(load(p.draft), parts, parted.options());
    ASSERT_EQ(plan.parts.size(), size_t(parts));
    std::vector<std::string> paths = parted.render_parts(parts, "part" + std::to_string(parts));
    std::reverse(paths.begin(), paths.end());  // any order
    const std::string out = "joined" + std::to_string(parts) + ".mp4";
    EXPECT_EQ(parted.join(paths, out).frames, 270);
    expect_same_frames(p.dir.file("whole.mp4"), p.dir.file(out));
    const std::vector<float> sound = decode_48k(p.dir.file(out));
    ASSERT_EQ(sound, whole_sound);

    const std::vector<Packet> packets = video_packets(p.dir.file(out), AVRational{1, 30});
    ASSERT_EQ(packets.size(), 270u);
    std::set<int64_t> starts, pts;
    for (const engine::RenderPart& part : plan.parts) starts.insert(part.frame_begin);
    for (size_t i = 0; i < packets.size(); ++i) {
      if (i > 0) EXPECT_EQ(packets[i].dts, packets[i - 1].dts + 1) << "packet " << i;
      pts.insert(packets[i].pts);
      if (starts.count(packets[i].pts)) EXPECT_TRUE(packets[i].idr) << "part start " << packets[i].pts;
    }
    EXPECT_EQ(pts.size(), 270u);
    // No click at a part's edge: the 440 Hz sine moves at most 0.015 from one sample to the next.
    for (const engine::RenderPart& part : plan.parts) {
      const size_t at = size_t(part.frame_begin * 48000 / 30) * 2;
      for (size_t i = at > 960 ? at - 960 : 0; i + 2 < std::min(sound.size(), at + 960); i += 2)
        ASSERT_LT(std::abs(sound[i + 2] - sound[i]), 0.02f) << "sample " << i / 2;
    }
  }
}

TEST(RenderParts, PartsHoldTheVeryBitsOfTheWholeRenderSoTheirJoinIsItsFileByteForByte) {
  Project p;
  auto lossy = [](RenderOptions& o) {
    o.crf = 23;
    o.x264_preset = "veryfast";  // B-frames across every edge
  };
  PartedRender parted{p, lossy};
  p.render("whole.mp4", false, lossy);
  parted.join(parted.render_parts(3, "part"), "joined.mp4");
  const std::string whole = bytes_of(p.dir.file("whole.mp4"));
  EXPECT_GT(whole.size(), 10000u);
  EXPECT_TRUE(whole == bytes_of(p.dir.file("joined.mp4")));
  // A worker that has rendered the whole before renders none of a part again: the same chunks.
  const RenderResult kept = p.render("kept.mp4", true, lossy);
  RenderOptions o = parted.options();
  o.chunk_dir = p.chunks;
  const RenderResult part = engine::render_part(load(p.draft), 2, 3, p.dir.file("part-again.mp4"), o);
  EXPECT_EQ(kept.chunks_rendered, kept.chunks);
  EXPECT_GT(part.chunks, 0);
  EXPECT_EQ(part.chunks_rendered, 0);
  EXPECT_TRUE(bytes_of(p.dir.file("part-again.mp4")) == bytes_of(p.dir.file("part-2.mp4")));
}

TEST(RenderParts, AJoinRefusesAForeignAMissingARepeatedOrADamagedPartByNameAndWritesNothing) {
  Project p;
  PartedRender parted{p, {}};
  const std::vector<std::string> parts = parted.render_parts(3, "part");
  auto refused = [&](const std::vector<std::string>& paths, const std::string& message) {
    expect_join_refused(parted, paths, message);
  };
  refused({parts[0], parts[2]}, "part 2 of 3 is missing");
  refused({parts[0], parts[1], parts[1], parts[2]}, "are both part 2 of 3");
  refused({parts[0], p.dir.file("p0.png"), parts[2]}, p.dir.file("p0.png") + " cannot be read as an MP4");
  const std::string made = p.dir.file("whole.mp4");  // an MP4 reel made, but no part of a cut
  p.render("whole.mp4", false, [](RenderOptions& o) { o.chunk_dir.clear(); });
  refused({parts[0], made, parts[2]}, made);

  // A part of the draft before an edit belongs to another render.
  Project other;
  other.draft["t"][0]["sg"][4]["m"]["kb"] = "in";
  PartedRender old{other, {}};
  const std::vector<std::string> foreign = old.render_parts(3, "old");
  refused({parts[0], foreign[1], parts[2]}, foreign[1] + " is a part of another render");

  // Another cut of the same render.
  const std::vector<std::string> halves = parted.render_parts(2, "half");
  refused({parts[0], halves[1], parts[2]}, halves[1] + " is part 2 of 2 but");

  // Cut short in transit.
  const std::string bytes = bytes_of(parts[1]);
  std::ofstream(p.dir.file("cut.mp4"), std::ios::binary).write(bytes.data(), std::streamsize(bytes.size() / 2));
  refused({parts[0], p.dir.file("cut.mp4"), parts[2]}, p.dir.file("cut.mp4") + " cannot be read as an MP4");
  EXPECT_THROW(engine::render_part(load(p.draft), 4, 3, p.dir.file("x.mp4"), parted.options()), base::Error);
  EXPECT_THROW(engine::render_part(load(p.draft), 1, 500, p.dir.file("x.mp4"), parted.options()), base::Error);
  EXPECT_FALSE(std::filesystem::exists(p.dir.file("x.mp4")));
}

// The sound made as a part of its own (on a worker beside the video parts): the join copies it,
// and the file is the whole render's byte for byte. A sound of another render is refused.
TEST(RenderParts, TheSoundAsAPartOfItsOwnIsCopiedByTheJoinAndTheFileIsTheWholeRenders) {
  Project p;
  PartedRender parted{p, {}};
  p.render("whole.mp4", false);
  std::vector<std::string> paths = parted.render_parts(2, "part");
  const std::string sound = p.dir.file("sound.m4a");
  const RenderResult made = engine::render_sound_part(load(p.draft), sound, parted.options());
  EXPECT_FALSE(made.sound_kept);
  paths.insert(paths.begin() + 1, sound);  // any place among the parts
  const RenderResult joined = parted.join(paths, "joined.mp4");
  EXPECT_EQ(joined.frames, 270);
  EXPECT_FALSE(joined.sound_kept) << "the join neither mixed nor looked for a kept sound";
  EXPECT_TRUE(bytes_of(p.dir.file("whole.mp4")) == bytes_of(p.dir.file("joined.mp4")));

  auto refused = [&](const std::vector<std::string>& paths, const std::string& message) {
    expect_join_refused(parted, paths, message);
  };
  refused({paths[0], sound, sound, paths[2]}, "are both the sound; name it once");
  refused({sound}, "name the video parts to join beside the sound");
  // The music quieter: the same pictures, another sound.
  Project quieter;
  quieter.draft["t"][2]["sg"][0]["m"]["vol"] = 0.5;
  const std::string other = quieter.dir.file("other.m4a");
  engine::render_sound_part(load(quieter.draft), other, PartedRender{quieter, {}}.options());
  refused({paths[0], other, paths[2]}, other + " is the sound of another render");
}

// A draft without sound has no sound part: refused with what to do, nothing written.
TEST(RenderParts, ADraftWithoutSoundHasNoSoundPartToMake) {
  Project p;
  p.draft["t"].erase(2);  // the music
  PartedRender parted{p, {}};
  EXPECT_FALSE(engine::plan_parts(load(p.draft), 2, parted.options()).has_sound);
  try {
    engine::render_sound_part(load(p.draft), p.dir.file("sound.m4a"), parted.options());
    ADD_FAILURE() << "made a sound";
  } catch (const base::Error& e) {
    EXPECT_EQ(e.fault(), base::Fault::Input);
    EXPECT_EQ(std::string(e.what()),
              "this draft has no sound (no music, voice or clip with sound): join its video parts alone");
  }
  EXPECT_FALSE(std::filesystem::exists(p.dir.file("sound.m4a")));
}

TEST(ChunkPlan, CutsAtCutsTransitionEdgesAndTextAndSplitsLongStretches) {
  Project p;
  p.draft["t"][0]["sg"][0]["d"] = 9000;  // one long photo, then the rest after it
  auto& sg = p.draft["t"][0]["sg"];
  for (int i = 1; i < 6; ++i) sg[i]["s"] = 9000 + (i - 1) * 1500;
  RenderOptions o = p.options(false);
  const draft::Draft d = load(p.draft);
  const engine::Plan plan = engine::make_plan(d, o);
  engine::TextLayer text(d, plan.width, plan.height, plan.fps, engine::resolver_for(o));
  const std::vector<engine::Chunk> chunks = engine::plan_chunks(plan, text, "");
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks.front().begin, 0);
  EXPECT_EQ(chunks.back().end, plan.total_frames);
  std::set<int64_t> starts;
  for (size_t i = 0; i < chunks.size(); ++i) {
    if (i > 0) EXPECT_EQ(chunks[i].begin, chunks[i - 1].end);
    EXPECT_LE(chunks[i].frames(), 120);  // 4 s at 30 fps
    EXPECT_GE(chunks[i].frames(), 8);    // 0.25 s
    starts.insert(chunks[i].begin);
  }
  // The title ends at 2.0 s (frame 60); photo 1's transition runs 8.8..9.2 s (frames 264..276).
  EXPECT_TRUE(starts.count(60));
  EXPECT_TRUE(starts.count(264));
  EXPECT_TRUE(starts.count(276));
  // The title starts at 0.2 s, too close to 0 to have a chunk of its own.
  EXPECT_FALSE(starts.count(6));
}

TEST(ChunkPlan, CostsWeighEncodeTransitionsAndEachPhotosDecodeOnce) {
  Project p;
  RenderOptions o = p.options(false);
  const draft::Draft d = load(p.draft);
  engine::Plan plan = engine::make_plan(d, o);
  for (engine::PlanItem& it : plan.items) it.photo.width = 400, it.photo.height = 300;
  plan.items[3].photo.width = 4000, plan.items[3].photo.height = 3000;  // one large photo
  engine::TextLayer text(d, plan.width, plan.height, plan.fps, engine::resolver_for(o));
  const std::vector<engine::Chunk> chunks = engine::plan_chunks(plan, text, "");
  const std::vector<double> costs = engine::chunk_costs(plan, chunks, 10);
  ASSERT_EQ(costs.size(), chunks.size());
  size_t large = chunks.size();
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_GT(costs[i], 0) << i;
    if (chunks[i].begin <= plan.items[3].first_frame && plan.items[3].first_frame < chunks[i].end) large = i;
  }
  ASSERT_LT(large, chunks.size());
  // 12 MP decoded once, in the chunk where the photo first shows, outweighs any 160x96 frames.
  for (size_t i = 0; i < chunks.size(); ++i)
    if (i != large) EXPECT_GT(costs[large], costs[i]) << i;
}

TEST(ChunkPlan, ASplitByCostGivesContiguousPartsOfAboutEqualCost) {
  using engine::split_by_cost;
  EXPECT_EQ(split_by_cost({1, 1, 1, 1}, 2), (std::vector<size_t>{0, 2, 4}));
  EXPECT_EQ(split_by_cost({3, 1, 1, 1}, 2), (std::vector<size_t>{0, 1, 4}));
  EXPECT_EQ(split_by_cost({1, 1, 1, 1, 1, 1, 1, 1, 1}, 3), (std::vector<size_t>{0, 3, 6, 9}));
  EXPECT_EQ(split_by_cost({10, 0, 0, 0}, 4), (std::vector<size_t>{0, 1, 2, 3, 4}));  // none empty
  EXPECT_EQ(split_by_cost({1, 1}, 5), (std::vector<size_t>{0, 1, 2}));               // more parts than chunks
  EXPECT_EQ(split_by_cost({}, 3), (std::vector<size_t>{0, 0}));
  EXPECT_EQ(split_by_cost({1, 2, 3}, 1), (std::vector<size_t>{0, 3}));
}

}  // namespace
}  // namespace reel::test
