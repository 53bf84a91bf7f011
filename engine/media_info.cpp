#include "engine/media_info.h"

#include <libexif/exif-data.h>
#include <libheif/heif.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <vector>

#include "draft/summary.h"
#include "draft/time.h"
#include "engine/audio/decoder.h"
#include "engine/clip/decoder.h"
#include "engine/errors.h"
#include "engine/photo/probe.h"

extern "C" {
#include <libavformat/avformat.h>
}

namespace reel::engine {

namespace {

std::optional<int64_t> exif_capture_time(ExifData* exif) {
  if (!exif) return std::nullopt;
  std::optional<int64_t> out;
  for (ExifTag tag : {EXIF_TAG_DATE_TIME_ORIGINAL, EXIF_TAG_DATE_TIME_DIGITIZED, EXIF_TAG_DATE_TIME}) {
    ExifEntry* e = exif_data_get_entry(exif, tag);
    if (!e) continue;
    char buf[64] = {0};
    exif_entry_get_value(e, buf, sizeof buf);
    if ((out = parse_capture_time(buf))) break;
  }
  exif_data_unref(exif);
  return out;
}

// EXIF of a HEIF file: libheif hands out the block behind a 4-byte offset to its TIFF header;
// libexif reads a TIFF block only behind the "Exif\0\0" header of a JPEG APP1, so it gets one.
std::optional<int64_t> heif_capture_time(const std::string& path) {
  heif_context* ctx = heif_context_alloc();
  std::optional<int64_t> out;
  heif_image_handle* handle = nullptr;
  if (heif_context_read_from_file(ctx, path.c_str(), nullptr).code == heif_error_Ok &&
      heif_context_get_primary_image_handle(ctx, &handle).code == heif_error_Ok) {
    heif_item_id id;
    if (heif_image_handle_get_list_of_metadata_block_IDs(handle, "Exif", &id, 1) == 1) {
      size_t size = heif_image_handle_get_metadata_size(handle, id);
      std::vector<uint8_t> data(size);
      if (size > 4 && heif_image_handle_get_metadata(handle, id, data.data()).code == heif_error_Ok) {
        uint32_t skip = (uint32_t(data[0]) << 24) | (uint32_t(data[1]) << 16) | (uint32_t(data[2]) << 8) | data[3];
        if (4 + size_t(skip) < size) {
          std::vector<uint8_t> app1 = {'E', 'x', 'i', 'f', 0, 0};
          app1.insert(app1.end(), data.begin() + 4 + skip, data.end());
          out = exif_capture_time(exif_data_new_from_data(app1.data(), unsigned(app1.size())));
        }
      }
    }
    heif_image_handle_release(handle);
  }
  heif_context_free(ctx);
  return out;
}

// PNG: colour type 4 or 6 (grey or colour with alpha), or a tRNS chunk before the data.
bool png_has_alpha(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> head(4096);
  in.read(reinterpret_cast<char*>(head.data()), std::streamsize(head.size()));
  head.resize(size_t(in.gcount()));
  if (head.size() < 33) return false;
  if (head[25] == 4 || head[25] == 6) return true;
  for (size_t i = 33; i + 8 <= head.size();) {
    uint32_t len =
        (uint32_t(head[i]) << 24) | (uint32_t(head[i + 1]) << 16) | (uint32_t(head[i + 2]) << 8) | head[i + 3];
    std::string type(reinterpret_cast<const char*>(&head[i + 4]), 4);
    if (type == "tRNS") return true;
    if (type == "IDAT") return false;
    i += 12 + len;
  }
  return false;
}

std::optional<int64_t> clip_capture_time(const std::string& path) {
  int err = 0;
  av::InputPtr fmt = av::open_input(path, err);
  if (!fmt) return std::nullopt;
  if (AVDictionaryEntry* e = av_dict_get(fmt->metadata, "creation_time", nullptr, 0))
    return parse_capture_time(e->value);
  return std::nullopt;
}

}  // namespace

std::optional<int64_t> parse_capture_time(const std::string& text) {
  int y, mo, d, h, mi, s;
  if (std::sscanf(text.c_str(), "%4d%*[:-]%2d%*[:-]%2d%*[ T]%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6)
    return std::nullopt;
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return draft::utc_epoch_seconds(y, mo, d, h, mi, s);
}

draft::MediaItem describe_media(const std::string& path, const std::string& reference, const MediaLimits& limits) {
  draft::MediaItem item;
  item.reference = reference;
  if (draft::looks_like_clip(reference)) {
    ClipInfo clip = probe_clip(path, "", reference, limits);
    item.is_clip = true;
    item.width = clip.width;
    item.height = clip.height;
    item.clip_ms = clip.duration_us / 1000;
    item.captured_at = clip_capture_time(path);
    return item;
  }
  PhotoInfo info;
  try {
    info = probe_photo(path);
  } catch (const std::exception&) {
    throw MediaError({MediaIssue{"", reference, "the file does not exist or cannot be opened", "check the path"}});
  }
  if (!info.defect.empty())
    throw MediaError({MediaIssue{"", reference, info.defect, "replace it with a JPEG, PNG, WebP or HEIC photo"}});
  if (info.display_width() * info.display_height() > limits.max_pixels)
    throw MediaError(
        {MediaIssue{"", reference,
                    "is " + std::to_string(info.display_width()) + "x" + std::to_string(info.display_height()) +
                        ", more than the limit of " + std::to_string(limits.max_pixels / 1000000) + " megapixels",
                    "scale it down, or raise the limit with --max-megapixels"}});
  item.width = static_cast<int>(info.display_width());
  item.height = static_cast<int>(info.display_height());
  if (info.format == PhotoFormat::Heif)
    item.captured_at = heif_capture_time(path);
  else if (info.format == PhotoFormat::Jpeg || info.format == PhotoFormat::Tiff)
    item.captured_at = exif_capture_time(exif_data_new_from_file(path.c_str()));
  item.has_alpha = info.format == PhotoFormat::Png && png_has_alpha(path);
  return item;
}

std::vector<float> sound_peaks(const std::string& path, const std::string& reference, int64_t from_ms,
                               int64_t length_ms, int buckets, const MediaLimits& limits) {
  std::vector<float> peaks(size_t(std::max(0, buckets)), 0.0f);
  if (buckets <= 0 || length_ms <= 0) return peaks;
  const AudioSourceRef ref{"", reference};
  const AudioSourceInfo info = probe_audio(path, ref, limits);
  AudioDecoder decoder(path, ref, info);
  const int64_t first = std::max<int64_t>(0, from_ms) * kAudioRate / 1000;
  const int64_t total = length_ms * kAudioRate / 1000;
  decoder.seek(std::min(first, info.length));
  std::vector<float> block(size_t(4096) * kAudioChannels);
  for (int64_t done = 0; done < total;) {
    const int64_t got = decoder.read(block.data(), std::min<int64_t>(4096, total - done));
    if (got <= 0) break;
    for (int64_t i = 0; i < got; ++i) {
      const size_t bucket = size_t(std::min<int64_t>(buckets - 1, (done + i) * buckets / total));
      for (int c = 0; c < kAudioChannels; ++c)
        peaks[bucket] = std::max(peaks[bucket], std::min(1.0f, std::fabs(block[size_t(i * kAudioChannels + c)])));
    }
    done += got;
  }
  return peaks;
}

}  // namespace reel::engine
