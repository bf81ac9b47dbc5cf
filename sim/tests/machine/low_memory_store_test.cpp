// Exactness defect 1 of issue 17: a Multiboot guest that stores over low
// memory (where dlsim once put its boot GDT) without reloading a segment
// register must run as on a bare Unicorn engine: same instructions, same
// serial output, same registers. The guest is tests/guests/multiboot_low_store.asm.
#include <gtest/gtest.h>
#include <unicorn/unicorn.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "sim/loaders/multiboot1_loader.h"
#include "sim/machine/machine.h"

namespace dlsim {
namespace {

const std::string kGuest = std::string(DLSIM_DEFAULT_GUEST_DIR) + "/multiboot_low_store.bin";
constexpr uint64_t kLoad = 0x100000;

std::vector<uint8_t> guestBytes() {
  std::ifstream in(kGuest, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Outcome {
  uint64_t instructions = 0;
  std::string serial;
  uint64_t ecx = 0, esi = 0, edi = 0, esp = 0;
};

// The guest alone in a bare 32-bit Unicorn engine (flat segments from the
// engine's reset state), counting instructions with a code hook.
Outcome runBare() {
  std::vector<uint8_t> bytes = guestBytes();
  uc_engine* uc = nullptr;
  EXPECT_EQ(uc_open(UC_ARCH_X86, UC_MODE_32, &uc), UC_ERR_OK);
  uc_mem_map(uc, 0, 0xa0000, UC_PROT_ALL);
  uc_mem_map(uc, 0x100000, 0x100000, UC_PROT_ALL);
  uc_mem_write(uc, kLoad, bytes.data(), bytes.size());
  uint32_t entry = 0;
  std::memcpy(&entry, bytes.data() + 28, 4);  // the a.out kludge's entry_addr
  Outcome o;
  uc_hook h;
  uc_hook_add(uc, &h, UC_HOOK_CODE,
              reinterpret_cast<void*>(+[](uc_engine*, uint64_t, uint32_t, void* user) {
                ++static_cast<Outcome*>(user)->instructions;
              }),
              &o, 1, 0);
  uc_hook_add(uc, &h, UC_HOOK_INSN,
              reinterpret_cast<void*>(+[](uc_engine*, uint32_t port, int, uint32_t value, void* user) {
                if (port == 0x3f8) static_cast<Outcome*>(user)->serial += static_cast<char>(value);
              }),
              &o, 1, 0, UC_X86_INS_OUT);
  EXPECT_EQ(uc_emu_start(uc, entry, 0, 0, 0), UC_ERR_OK);  // returns at HLT
  for (auto [id, out] : {std::pair{UC_X86_REG_ECX, &o.ecx}, {UC_X86_REG_ESI, &o.esi}, {UC_X86_REG_EDI, &o.edi},
                         {UC_X86_REG_ESP, &o.esp}})
    uc_reg_read(uc, id, out);
  uc_close(uc);
  return o;
}

Outcome runDlsim(uint64_t bootScratch) {
  MachineConfig c;
  c.memory = {{0, 0xa0000, "low"}, {0x100000, 0x100000, "main"}};
  c.bootScratch = bootScratch;
  c.maxInstructions = 1000000;
  Machine m(c);
  const auto [s, e] = m.bootScratchRange();
  LoadedImage img = loadMultiboot1(m.memory(), MultibootRequest{kGuest, "", {}, m.defaultE820(), std::nullopt,
                                                                {{s, e - s}}});
  m.boot(*img.boot);
  StopInfo stop = m.run();
  EXPECT_EQ(stop.reason, stop_reason::kAllHalted) << stop.detail;
  Observation obs = m.observe();
  Outcome o;
  o.instructions = obs.instructions;
  o.serial = obs.serial["com1"];
  o.ecx = obs.cpus[0].registers["rcx"];
  o.esi = obs.cpus[0].registers["rsi"];
  o.edi = obs.cpus[0].registers["rdi"];
  o.esp = obs.cpus[0].registers["rsp"];
  EXPECT_EQ(obs.cpus[0].registers["rax"], 4u) << "RDTSC delta: three instructions and the second RDTSC";
  return o;
}

void expectSameRun(const Outcome& dlsim, const Outcome& bare) {
  EXPECT_EQ(dlsim.instructions, bare.instructions);
  EXPECT_EQ(dlsim.serial, bare.serial);
  EXPECT_NE(bare.serial.find("checksum"), std::string::npos) << bare.serial;
  EXPECT_EQ(dlsim.ecx, bare.ecx);
  EXPECT_EQ(dlsim.esi, bare.esi);
  EXPECT_EQ(dlsim.edi, bare.edi);
  EXPECT_EQ(dlsim.esp, bare.esp);
}

// The boot GDT where the guest stores: the CPU must not need it.
TEST(LowMemoryStore, RunsLikeBareUnicornWithTheBootGdtUnderTheStore) {
  expectSameRun(runDlsim(0x500), runBare());
}

TEST(LowMemoryStore, RunsLikeBareUnicornWithTheDefaultBootGdt) {
  expectSameRun(runDlsim(MachineConfig::kDefaultBootScratch), runBare());
}

// The default map keeps the boot GDT and page tables out of the guest's RAM.
TEST(LowMemoryStore, DefaultE820ReservesTheBootScratch) {
  MachineConfig c;
  c.memory = {{0, 0xa0000, "low"}, {0x100000, 0x100000, "main"}};
  Machine m(c);
  const auto [s, e] = m.bootScratchRange();
  EXPECT_EQ(s, 0x99000u);
  EXPECT_EQ(e, 0xa0000u);  // GDT page and six page-table pages
  E820Map map = m.defaultE820();
  ASSERT_EQ(map.size(), 3u);
  EXPECT_EQ(map[0].addr, 0u);
  EXPECT_EQ(map[0].size, 0x99000u);
  EXPECT_EQ(map[0].type, E820Type::Ram);
  EXPECT_EQ(map[1].addr, 0x99000u);
  EXPECT_EQ(map[1].size, 0x7000u);
  EXPECT_EQ(map[1].type, E820Type::Reserved);
  EXPECT_EQ(map[2].addr, 0x100000u);
  EXPECT_EQ(map[2].type, E820Type::Ram);
}

}  // namespace
}  // namespace dlsim
