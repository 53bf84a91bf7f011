// Where the client's settings come from: flags, environment, config.json.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "cloud/client/client.h"
#include "tests/cloud/support/test_util.h"

using namespace reel;
using namespace reel::cloud;
using namespace reel::cloud::testing;

namespace {
struct EnvGuard {
  std::vector<std::pair<std::string, std::optional<std::string>>> saved;
  void set(const std::string& k, const std::optional<std::string>& v) {
    const char* old = std::getenv(k.c_str());
    saved.emplace_back(k, old ? std::optional<std::string>(old) : std::nullopt);
    if (v)
      setenv(k.c_str(), v->c_str(), 1);
    else
      unsetenv(k.c_str());
  }
  ~EnvGuard() {
    for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
      if (it->second)
        setenv(it->first.c_str(), it->second->c_str(), 1);
      else
        unsetenv(it->first.c_str());
    }
  }
};
}  // namespace

TEST(ClientOptionsFrom, FlagBeatsEnvironmentBeatsConfigBeatsDefault) {
  TempDir dir;
  EnvGuard env;
  env.set("XDG_CONFIG_HOME", dir.path().string());
  env.set("REEL_API_URL", std::nullopt);
  env.set("NEMO_TOKEN", std::nullopt);
  env.set("REEL_SKILL_DIR", std::nullopt);
  EXPECT_EQ(options_from_environment("", "", dir.path().string()).api, kDefaultApi);
  write_bytes(
      dir.file("reel/config.json"),
      R"({"api": "http://127.0.0.1:9/", "skill": {"name": "slideshow", "version": "2.1"}, "max_upload_mb": 500})");
  auto o = options_from_environment("", "", dir.path().string());
  EXPECT_EQ(o.api, "http://127.0.0.1:9");
  EXPECT_EQ(o.skill_name, "slideshow");
  EXPECT_EQ(o.skill_version, "2.1");
  EXPECT_EQ(o.max_upload_bytes, 500ll << 20);
  env.set("REEL_API_URL", "http://127.0.0.1:8");
  EXPECT_EQ(options_from_environment("", "", dir.path().string()).api, "http://127.0.0.1:8");
  EXPECT_EQ(options_from_environment("http://127.0.0.1:7", "", dir.path().string()).api, "http://127.0.0.1:7");
  auto s = options_from_environment("", "promo@3.0", dir.path().string());
  EXPECT_EQ(s.skill_name, "promo");
  EXPECT_EQ(s.skill_version, "3.0");
  env.set("NEMO_TOKEN", "nmv_usr_x");
  EXPECT_EQ(options_from_environment("", "", dir.path().string()).env_token, "nmv_usr_x");
  env.set("REEL_SKILL_DIR", "/home/u/.clawhub/skills/reel");
  EXPECT_EQ(options_from_environment("", "", dir.path().string()).platform, "clawhub");
  env.set("REEL_SKILL_DIR", "/home/u/.cursor/skills/reel");
  EXPECT_EQ(options_from_environment("", "", dir.path().string()).platform, "cursor");
}

TEST(Platform, DetectsTheSkillInstallFolder) {
  EXPECT_EQ(detect_platform("/home/a/.clawhub/skills/reel/bin/reel"), "clawhub");
  EXPECT_EQ(detect_platform("/home/a/.cursor/skills/reel/reel"), "cursor");
  EXPECT_EQ(detect_platform("/usr/bin/reel"), "unknown");
}

TEST(ConfigStore, ATokenFoundReadableByOthersIsMadePrivateWhenRead) {
  TempDir dir;
  ConfigStore store(dir.file("config"));
  store.save_token("https://api.example", CachedToken{"nmv_usr_SECRET", "u1", 4102444800, 10});
  const std::string token = store.token_path("https://api.example");
  struct stat st {};
  ASSERT_EQ(::stat(token.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(dir.file("config").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // A copy, an old version or a umask left them open: reading puts them right.
  ::chmod(token.c_str(), 0644);
  ::chmod(dir.file("config").c_str(), 0755);
  ASSERT_TRUE(store.load_token("https://api.example"));
  ASSERT_EQ(::stat(token.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(dir.file("config").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}
