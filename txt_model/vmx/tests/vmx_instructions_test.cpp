// VMXON, VMXOFF, VMCLEAR, VMPTRLD, VMPTRST, VMREAD and VMWRITE at CPU
// level: each success and failure path with the flags and the
// VM-instruction error number the SDM's operation sections give (vol. 3C
// "VMX instruction reference": VMsucceed clears CF and ZF, VMfailInvalid
// sets CF, VMfailValid sets ZF and writes the error; errors from 31.4).
#include <gtest/gtest.h>

#include "txt_model/vmx/tests/vmx_rig.h"

namespace dlsim::txt::test {
namespace {

using Flags = std::pair<bool, bool>;  // CF, ZF
const Flags kSucceed{false, false}, kFailInvalid{true, false}, kFailValid{false, true};

TEST(VmxOn, EntersVmxOperation) {
  VmxRig rig;
  auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + "hlt\n");
  EXPECT_EQ(r.stop.reason, "all-cpus-halted") << r.stop.detail << firstFault(r);
  EXPECT_EQ(rig.cfZf(0x80), kSucceed);
  EXPECT_EQ(rig.cfZf(0x84), kSucceed);
  EXPECT_EQ(rig.cfZf(0x88), kSucceed);
  const VmxCpuState& s = rig.vmx->at(0);
  EXPECT_TRUE(s.on);
  EXPECT_FALSE(s.nonRoot);
  EXPECT_EQ(s.vmxonPointer, kVmxonRegion);
  EXPECT_EQ(s.current, kVmcsRegion);
}

TEST(VmxOn, UndefinedWithoutCr4Vmxe) {
  VmxRig rig;
  auto r = rig.run(std::string(kVmxPrologue) + "mov eax, cr4\nand eax, ~0x2000\nmov cr4, eax\n" + kVmxOn + "hlt\n");
  EXPECT_EQ(firstFault(r).rfind("#UD", 0), 0u) << firstFault(r);
  EXPECT_FALSE(rig.vmx->at(0).on);
}

TEST(VmxOn, GeneralProtectionOnFixedBitsAndFeatureControl) {
  {
    // CR0.NE is fixed to 1 in VMX operation (IA32_VMX_CR0_FIXED0 bit 5).
    VmxRig rig;
    auto r = rig.run(std::string(kVmxPrologue) + "mov eax, cr0\nand eax, ~0x20\nmov cr0, eax\n" + kVmxOn + "hlt\n");
    EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u) << firstFault(r);
  }
  {
    VmxRig rig;  // not locked
    rig.featureControl = 0x4;
    auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + "hlt\n");
    EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u) << firstFault(r);
  }
  {
    VmxRig rig;  // locked, VMX only inside SMX, used outside
    rig.featureControl = 0x3;
    auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + "hlt\n");
    EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u) << firstFault(r);
  }
  {
    VmxRig rig;  // in SMX operation with VMX enabled only outside it
    rig.featureControl = 0x5;
    rig.smx = true;
    auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + "hlt\n");
    EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u) << firstFault(r);
  }
  {
    // In SMX operation with VMX in SMX enabled and CR4.SMXE set: tboot's
    // case (a TXT-capable processor's CR4_FIXED1 allows SMXE).
    VmxRig rig;
    rig.featureControl = 0x3;
    rig.smx = true;
    auto r = rig.run(std::string(kVmxPrologue) + "mov eax, cr4\nor eax, 0x4000\nmov cr4, eax\n" + kVmxOn + "hlt\n");
    EXPECT_EQ(firstFault(r), "");
    EXPECT_EQ(rig.cfZf(0x80), kSucceed);
  }
}

TEST(VmxOn, FailInvalidOnBadRegion) {
  // Not 4 KiB aligned; revision identifier not 4; bit 31 set; a second
  // VMXON in VMX root operation without a current VMCS (VMfailInvalid),
  // then with one (VMfailValid 15).
  VmxRig rig;
  auto r = rig.run(std::string(kVmxPrologue) +
                   "vmxon [odd_ptr]\nFLAGS 0\n"
                   "mov dword [0x140000], 5\nvmxon [vmxon_ptr]\nFLAGS 4\n"
                   "mov dword [0x140000], 0x80000004\nvmxon [vmxon_ptr]\nFLAGS 8\n"
                   "mov dword [0x140000], 4\nvmxon [vmxon_ptr]\nFLAGS 0xc\n"
                   "vmxon [vmxon_ptr]\nFLAGS 0x10\n"
                   "vmptrld [vmcs_ptr]\nvmxon [vmxon_ptr]\nFLAGS 0x14\nERR 0x18\nhlt\n"
                   "align 8\nodd_ptr: dq 0x140800\n");
  EXPECT_EQ(firstFault(r), "");
  EXPECT_EQ(rig.cfZf(0), kFailInvalid);
  EXPECT_EQ(rig.cfZf(4), kFailInvalid);
  EXPECT_EQ(rig.cfZf(8), kFailInvalid);
  EXPECT_EQ(rig.cfZf(0xc), kSucceed);
  EXPECT_EQ(rig.cfZf(0x10), kFailInvalid);
  EXPECT_EQ(rig.cfZf(0x14), kFailValid);
  EXPECT_EQ(rig.log(0x18), 15u);  // VMXON executed in VMX root operation
}

TEST(VmxOff, LeavesVmxOperationAndUndefinedOutside) {
  VmxRig rig;
  auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + "vmxoff\nFLAGS 0\n"
                   "mov eax, cr4\nand eax, ~0x2000\nmov cr4, eax\nvmxoff\nhlt\n");
  EXPECT_EQ(rig.cfZf(0), kSucceed);
  EXPECT_FALSE(rig.vmx->at(0).on);
  EXPECT_EQ(firstFault(r).rfind("#UD", 0), 0u) << firstFault(r);  // the second VMXOFF: not in VMX operation
}

TEST(VmcsPointers, ClearLoadAndStore) {
  VmxRig rig;
  auto r = rig.run(std::string(kVmxPrologue) + kVmxOn +
                   // VMPTRST stores the current-VMCS pointer.
                   "vmptrst [0x150100]\nFLAGS 0\n"
                   // VMCLEAR of the current VMCS leaves none: VMPTRST stores all ones.
                   "vmclear [vmcs_ptr]\nFLAGS 4\nvmptrst [0x150108]\n"
                   // Without a current VMCS, failures are VMfailInvalid.
                   "vmptrld [vmxon_ptr]\nFLAGS 8\n"
                   "vmptrld [vmcs2_ptr]\n"
                   // With one, VMfailValid and the error number.
                   "vmptrld [odd_ptr]\nFLAGS 0xc\nERR 0x10\n"
                   "vmptrld [vmxon_ptr]\nFLAGS 0x14\nERR 0x18\n"
                   "mov dword [0x141000], 7\nvmptrld [vmcs_ptr]\nFLAGS 0x1c\nERR 0x20\n"
                   "vmclear [odd_ptr]\nFLAGS 0x24\nERR 0x28\n"
                   "vmclear [vmxon_ptr]\nFLAGS 0x2c\nERR 0x30\n"
                   // tboot's stop_vmx clears the VMCS at physical 0: it succeeds.
                   "vmclear [null_ptr]\nFLAGS 0x34\nvmptrst [0x150110]\nhlt\n"
                   "align 8\nodd_ptr: dq 0x141010\n");
  EXPECT_EQ(firstFault(r), "");
  uint64_t stored[3] = {};
  ASSERT_TRUE(rig.m.memory().read(kLog + 0x100, stored, sizeof stored));
  EXPECT_EQ(rig.cfZf(0), kSucceed);
  EXPECT_EQ(stored[0], kVmcsRegion);
  EXPECT_EQ(rig.cfZf(4), kSucceed);
  EXPECT_EQ(stored[1], ~0ull);
  EXPECT_EQ(rig.cfZf(8), kFailInvalid);
  EXPECT_EQ(rig.cfZf(0xc), kFailValid);
  EXPECT_EQ(rig.log(0x10), 9u);   // VMPTRLD with invalid physical address
  EXPECT_EQ(rig.cfZf(0x14), kFailValid);
  EXPECT_EQ(rig.log(0x18), 10u);  // VMPTRLD with VMXON pointer
  EXPECT_EQ(rig.cfZf(0x1c), kFailValid);
  EXPECT_EQ(rig.log(0x20), 11u);  // VMPTRLD with incorrect VMCS revision identifier
  EXPECT_EQ(rig.cfZf(0x24), kFailValid);
  EXPECT_EQ(rig.log(0x28), 2u);   // VMCLEAR with invalid physical address
  EXPECT_EQ(rig.cfZf(0x2c), kFailValid);
  EXPECT_EQ(rig.log(0x30), 3u);   // VMCLEAR with VMXON pointer
  EXPECT_EQ(rig.cfZf(0x34), kSucceed);
  EXPECT_EQ(stored[2], kVmcs2Region);
}

TEST(VmcsFields, ReadAndWriteByWidthInProtectedMode) {
  VmxRig rig;
  auto r = rig.run(std::string(kVmxPrologue) + kVmxOn +
                   // 16-bit: bits 15:0 written, read zero-extended.
                   "VMW 0x0800, 0x12345678\nmov eax, 0x0800\nvmread ebx, eax\nmov [0x150000], ebx\n"
                   // 64-bit outside IA-32e mode: full writes 31:0 and clears 63:32, high writes 63:32.
                   "VMW 0x2800, 0xffffffff\nmov eax, 0x2801\nvmread ebx, eax\nmov [0x150004], ebx\n"
                   "VMW 0x2801, 0xaabbccdd\nmov eax, 0x2800\nvmread ebx, eax\nmov [0x150008], ebx\n"
                   "mov eax, 0x2801\nvmread ebx, eax\nmov [0x15000c], ebx\n"
                   "VMW 0x2800, 1\nmov eax, 0x2801\nvmread ebx, eax\nmov [0x150010], ebx\n"
                   // 32-bit and natural width; a memory source and destination.
                   "mov dword [0x150200], 0xcafe0000\nmov eax, 0x681e\nvmwrite eax, [0x150200]\n"
                   "vmread [0x150014], eax\nFLAGS 0x18\n"
                   // A field never written reads 0.
                   "mov eax, 0x4004\nmov ebx, 0x77\nvmread ebx, eax\nmov [0x15001c], ebx\nhlt\n");
  EXPECT_EQ(firstFault(r), "") << r.stop.detail;
  EXPECT_EQ(rig.log(0), 0x5678u);
  EXPECT_EQ(rig.log(4), 0u);
  EXPECT_EQ(rig.log(8), 0xffffffffu);
  EXPECT_EQ(rig.log(0xc), 0xaabbccddu);
  EXPECT_EQ(rig.log(0x10), 0u);
  EXPECT_EQ(rig.log(0x14), 0xcafe0000u);
  EXPECT_EQ(rig.cfZf(0x18), kSucceed);
  EXPECT_EQ(rig.log(0x1c), 0u);
  const Vmcs* v = rig.vmx->region(kVmcsRegion);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->get(0x2800), 1u);
  EXPECT_EQ(v->get(0x0800), 0x5678u);
}

TEST(VmcsFields, FailuresAndReadOnlyFields) {
  VmxRig rig;
  auto r = rig.run(std::string(kVmxPrologue) + "vmxon [vmxon_ptr]\n"
                   // No current VMCS: VMfailInvalid.
                   "mov eax, 0x4402\nvmread ebx, eax\nFLAGS 0\n"
                   "vmptrld [vmcs_ptr]\n"
                   // Reserved encoding bits (12; 31:15) and the high access type of a 32-bit field: error 12.
                   "mov eax, 0x1000\nvmread ebx, eax\nFLAGS 4\nERR 8\n"
                   "mov eax, 0x18000\nmov ebx, 1\nvmwrite eax, ebx\nFLAGS 0xc\nERR 0x10\n"
                   "mov eax, 0x4003\nvmread ebx, eax\nFLAGS 0x14\nERR 0x18\n"
                   // IA32_VMX_MISC bit 29 is set on this processor: VMWRITE may write exit information.
                   "VMW 0x4402, 0x21\nFLAGS 0x1c\nmov eax, 0x4402\nvmread ebx, eax\nmov [0x150020], ebx\nhlt\n");
  EXPECT_EQ(firstFault(r), "") << r.stop.detail;
  EXPECT_EQ(rig.cfZf(0), kFailInvalid);
  EXPECT_EQ(rig.cfZf(4), kFailValid);
  EXPECT_EQ(rig.log(8), 12u);
  EXPECT_EQ(rig.cfZf(0xc), kFailValid);
  EXPECT_EQ(rig.log(0x10), 12u);
  EXPECT_EQ(rig.cfZf(0x14), kFailValid);
  EXPECT_EQ(rig.log(0x18), 12u);
  EXPECT_EQ(rig.cfZf(0x1c), kSucceed);
  EXPECT_EQ(rig.log(0x20), 0x21u);
}

TEST(VmcsFields, ReadOnlyWithoutVmwriteAnyField) {
  VmxCapabilities caps = VmxCapabilities::coffeeLake();
  caps.msrs[vmx_msr::kMisc] &= ~(1ull << 29);
  VmxRig rig(1, caps);
  auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + "VMW 0x4402, 0x21\nFLAGS 0\nERR 4\nhlt\n");
  EXPECT_EQ(firstFault(r), "");
  EXPECT_EQ(rig.cfZf(0), kFailValid);
  EXPECT_EQ(rig.log(4), 13u);  // VMWRITE to read-only VMCS component
}

TEST(VmcsFields, UnknownFieldStopsNamed) {
  // A well-formed encoding of no field this processor has (a 64-bit control
  // with index 0x1f): dlsim names it rather than guess.
  VmxRig rig;
  auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + "mov eax, 0x203e\nvmread ebx, eax\nhlt\n");
  EXPECT_EQ(r.stop.reason, "guest-error");
  EXPECT_EQ(r.stop.detail.rfind("vmx: unsupported: VMREAD of VMCS field 0x203e", 0), 0u) << r.stop.detail;
}

TEST(VmxInstructions, UndefinedOutsideVmxAndVmcallFailsInRoot) {
  {
    VmxRig rig;
    auto r = rig.run(std::string(kVmxPrologue) + "vmptrld [vmcs_ptr]\nhlt\n");
    EXPECT_EQ(firstFault(r).rfind("#UD", 0), 0u) << firstFault(r);
  }
  {
    VmxRig rig;
    auto r = rig.run(std::string(kVmxPrologue) + "vmcall\nhlt\n");
    EXPECT_EQ(firstFault(r).rfind("#UD", 0), 0u) << firstFault(r);
  }
  {
    // VMCALL in VMX root operation: VMfailValid 1 (no dual-monitor treatment).
    VmxRig rig;
    auto r = rig.run(std::string(kVmxPrologue) + kVmxOn + "vmcall\nFLAGS 0\nERR 4\nhlt\n");
    EXPECT_EQ(firstFault(r), "");
    EXPECT_EQ(rig.cfZf(0), kFailValid);
    EXPECT_EQ(rig.log(4), 1u);
  }
}

TEST(VmxCapabilityMsrs, ReadOnlyAndPresent) {
  VmxRig rig;
  auto r = rig.run(std::string(kVmxPrologue) +
                   "mov ecx, 0x480\nrdmsr\nmov [0x150000], eax\nmov [0x150004], edx\n"
                   "mov ecx, 0x485\nrdmsr\nmov [0x150008], eax\n"
                   "mov ecx, 0x480\nwrmsr\nhlt\n");
  EXPECT_EQ(rig.log(0), 4u);
  EXPECT_EQ(rig.log(4), 0x00da0400u);
  EXPECT_EQ(rig.log(8), 0x7004c1e7u);
  EXPECT_EQ(firstFault(r).rfind("#GP(0x0)", 0), 0u) << firstFault(r);
}

}  // namespace
}  // namespace dlsim::txt::test
