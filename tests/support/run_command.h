#pragma once
// Runs a program the way a person would in a shell, for end-to-end tests: arguments, optional
// standard input, and what it printed on stdout and stderr with its exit status.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace reel::test {

struct RunResult {
  int exit_code = -1;
  std::string out, err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs `program args...` with `input` on standard input, in folder `cwd` when given.
inline RunResult run_command(const std::string& program, const std::vector<std::string>& args,
                             const std::string& input = "", const std::string& cwd = "") {
  namespace fs = std::filesystem;
  static int counter = 0;
  fs::path dir =
      fs::temp_directory_path() / ("reel-run-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::create_directories(dir);
  { std::ofstream(dir / "in", std::ios::binary) << input; }
  std::string cmd = cwd.empty() ? "" : "cd " + shell_quote(cwd) + " && ";
  cmd += shell_quote(program);
  for (const auto& a : args) {
    cmd += ' ';  // not " " + …: g++ 12 warns of a false overlap (-Wrestrict) when that is inlined
    cmd += shell_quote(a);
  }
  cmd += " < " + shell_quote((dir / "in").string()) + " > " + shell_quote((dir / "out").string()) + " 2> " +
         shell_quote((dir / "err").string());
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  fs::remove_all(dir);
  return r;
}

}  // namespace reel::test
