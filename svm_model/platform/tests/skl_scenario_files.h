// A directory of its own holding an SKL image and a 0x100-byte NOP kernel
// (skl.bin, kernel.bin), for tests whose "svm.handoff" names them by paths
// relative to the scenario file s.json in that directory; removed at the end.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "svm_model/slb/skl_image.h"

namespace dlsim::svm::test {

struct SklScenarioFiles {
  std::filesystem::path dir;
  SklScenarioFiles(const std::string& tag, const SklImage& skl) {
    dir = std::filesystem::temp_directory_path() / ("dlsim-" + tag + "-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    write("skl.bin", encodeSklImage(skl));
    write("kernel.bin", std::vector<uint8_t>(0x100, 0x90));
  }
  ~SklScenarioFiles() { std::filesystem::remove_all(dir); }
  SklScenarioFiles(const SklScenarioFiles&) = delete;
  SklScenarioFiles& operator=(const SklScenarioFiles&) = delete;
  void write(const std::string& name, const std::vector<uint8_t>& b) const {
    std::ofstream(dir / name, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
  }
  std::string scenario() const { return (dir / "s.json").string(); }
};

}  // namespace dlsim::svm::test
