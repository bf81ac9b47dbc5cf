#include "cpu_model/testkit/assemble.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace dlsim::test {

std::vector<uint8_t> assemble(const std::string& source) {
  char dir[] = "/tmp/dlsim-asm-XXXXXX";
  if (!mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
  std::string src = std::string(dir) + "/g.asm", out = std::string(dir) + "/g.bin";
  std::ofstream(src) << source;
  std::string cmd = "nasm -f bin -o " + out + " " + src + " 2>" + dir + "/err";
  int rc = std::system(cmd.c_str());
  std::ifstream in(out, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ifstream errf(std::string(dir) + "/err");
  std::string err((std::istreambuf_iterator<char>(errf)), std::istreambuf_iterator<char>());
  std::system((std::string("rm -rf ") + dir).c_str());
  if (rc != 0) throw std::runtime_error("nasm failed: " + err);
  return bytes;
}

}  // namespace dlsim::test
