// Host-time probes (sim/host_probe.h): what they record, never how long
// anything took.
#include "sim/host_probe.h"

#include <gtest/gtest.h>

#include "sim/bus.h"

namespace dlsim {
namespace {

TEST(HostProbe, WithoutARecorderNothingIsRecordedAndNoNameIsBuilt) {
  ASSERT_EQ(host_probe::tlsRecorder, nullptr);
  int namesBuilt = 0;
  {
    HostProbeScope a("area", "plain");
    HostProbeNamedScope b("area", [&namesBuilt] {
      ++namesBuilt;
      return "named";
    });
  }
  EXPECT_EQ(namesBuilt, 0);
  HostProbeRecorder r;
  { host_probe::Install install(&r); }
  EXPECT_EQ(host_probe::tlsRecorder, nullptr);  // Install restores what was there
  EXPECT_TRUE(r.figures.empty());
  EXPECT_EQ(r.scopes, 0u);
}

TEST(HostProbe, NestedScopesSplitSelfAndTotalTime) {
  HostProbeRecorder r;
  {
    host_probe::Install install(&r);
    HostProbeScope outer("intercept", "out");
    for (int i = 0; i < 3; ++i) {
      HostProbeNamedScope inner("device", [] { return std::string("uart"); });
      volatile int spin = 0;
      for (int j = 0; j < 1000; ++j) spin = spin + j;
    }
  }
  ASSERT_EQ(r.figures.size(), 2u);
  const HostProbeFigure& outer = r.figures.at("intercept/out");
  const HostProbeFigure& inner = r.figures.at("device/uart");
  EXPECT_EQ(r.scopes, 4u);
  EXPECT_EQ(outer.count, 1u);
  EXPECT_EQ(inner.count, 3u);
  EXPECT_EQ(inner.selfNs, inner.totalNs);  // nothing nested in it
  EXPECT_EQ(outer.selfNs + inner.totalNs, outer.totalNs);
}

class Dev : public Device {
 public:
  std::string name() const override { return "dev"; }
  uint64_t read(const AccessContext&, uint64_t, unsigned) override { return 7; }
  void write(const AccessContext&, uint64_t, unsigned, uint64_t) override {}
};

TEST(HostProbe, BusCountsEachDeviceAccessUnderTheDevicesName) {
  Bus bus;
  Dev dev;
  bus.mapMmio(0x1000, 0x100, &dev);
  bus.mapPorts(0x60, 4, &dev);
  HostProbeRecorder r;
  {
    host_probe::Install install(&r);
    EXPECT_EQ(bus.mmioRead(AccessContext::fromCpu(0), 0x1004, 4), 7u);
    bus.mmioWrite(AccessContext::fromCpu(0), 0x1004, 1, 1);
    EXPECT_EQ(bus.portRead(AccessContext::fromCpu(0), 0x61, 1), 7u);
    bus.portWrite(AccessContext::fromCpu(0), 0x62, 1, 0);
    bus.portRead(AccessContext::fromCpu(0), 0x70, 1);  // unclaimed: no device, no figure
  }
  ASSERT_EQ(r.figures.size(), 1u);
  EXPECT_EQ(r.figures.at("device/dev").count, 4u);
  bus.portRead(AccessContext::fromCpu(0), 0x61, 1);  // after the recorder is gone
  EXPECT_EQ(r.figures.at("device/dev").count, 4u);
}

}  // namespace
}  // namespace dlsim
