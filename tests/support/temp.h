// A scratch directory of this test process: ctest runs test cases in
// parallel processes, so no two may share a path.
#pragma once

#include <filesystem>
#include <string>
#include <unistd.h>

namespace snnc::test {

inline std::filesystem::path scratch(const std::string& what) {
  auto dir =
      std::filesystem::temp_directory_path() / ("snnc_" + what + "_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

} // namespace snnc::test
