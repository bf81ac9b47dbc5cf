// Register offsets and bit positions of the TCG PC Client Platform TPM
// Profile (PTP) FIFO ("TIS") and CRB interfaces, in one place so the two
// device models and their tests agree. Facts from /work/shared/spec/tpm.md
// (checked against EDK2 TpmPtp.h, Linux tpm_tis_core/tpm_crb, illumos tpm_crb).
#pragma once
#include <cstdint>

namespace dlsim::tpm::ptp {

inline constexpr uint64_t kDefaultBase = 0xFED40000;
inline constexpr uint64_t kLocalityStride = 0x1000;
inline constexpr unsigned kLocalities = 5;
inline constexpr uint64_t kWindowSize = kLocalityStride * kLocalities;  // 0x5000

// Locality-4-only D-RTM indications (offsets inside the locality-4 page).
inline constexpr uint32_t kHashEnd = 0x20;    // single byte, any value
inline constexpr uint32_t kHashData = 0x24;   // 0x24-0x27, shares DATA_FIFO's offset
inline constexpr uint32_t kHashStart = 0x28;  // single byte, any value

namespace fifo {
inline constexpr uint32_t kAccess = 0x00;
inline constexpr uint32_t kIntEnable = 0x08;     // 4 bytes
inline constexpr uint32_t kIntVector = 0x0C;     // 1 byte
inline constexpr uint32_t kIntStatus = 0x10;     // 4 bytes, write 1 to clear
inline constexpr uint32_t kIntfCapability = 0x14;  // 4 bytes
inline constexpr uint32_t kSts = 0x18;           // 4 bytes
inline constexpr uint32_t kDataFifo = 0x24;      // 0x24-0x27
inline constexpr uint32_t kInterfaceId = 0x30;   // 4 bytes
inline constexpr uint32_t kXDataFifo = 0x80;     // 0x80-0xBF
inline constexpr uint32_t kXDataFifoEnd = 0xC0;
inline constexpr uint32_t kDidVid = 0xF00;       // VID [15:0], DID [31:16]
inline constexpr uint32_t kRid = 0xF04;

// ACCESS bits.
inline constexpr uint8_t kAccEstablishment = 1u << 0;  // 1 = NOT established
inline constexpr uint8_t kAccRequestUse = 1u << 1;
inline constexpr uint8_t kAccPendingRequest = 1u << 2;
inline constexpr uint8_t kAccSeize = 1u << 3;
inline constexpr uint8_t kAccBeenSeized = 1u << 4;
inline constexpr uint8_t kAccActiveLocality = 1u << 5;
inline constexpr uint8_t kAccRegValid = 1u << 7;

// STS bits.
inline constexpr uint32_t kStsResponseRetry = 1u << 1;
inline constexpr uint32_t kStsSelfTestDone = 1u << 2;
inline constexpr uint32_t kStsExpect = 1u << 3;
inline constexpr uint32_t kStsDataAvail = 1u << 4;
inline constexpr uint32_t kStsTpmGo = 1u << 5;
inline constexpr uint32_t kStsCommandReady = 1u << 6;
inline constexpr uint32_t kStsValid = 1u << 7;
inline constexpr unsigned kStsBurstShift = 8;  // bits 23:8
inline constexpr uint32_t kStsCommandCancel = 1u << 24;
inline constexpr uint32_t kStsResetEstablishment = 1u << 25;
inline constexpr uint32_t kStsFamilyTpm20 = 1u << 26;  // bits 27:26 = 01

// INT_ENABLE / INT_STATUS bits.
inline constexpr uint32_t kIntDataAvail = 1u << 0;
inline constexpr uint32_t kIntStsValid = 1u << 1;
inline constexpr uint32_t kIntLocalityChange = 1u << 2;
inline constexpr uint32_t kIntCommandReady = 1u << 7;
inline constexpr uint32_t kIntGlobalEnable = 1u << 31;
inline constexpr uint32_t kIntEnableWritable = 0x8000009Fu;  // 0-4 (incl. typePolarity), 7, 31
inline constexpr uint32_t kIntStatusBits = 0x87u;
}  // namespace fifo

namespace crb {
inline constexpr uint32_t kLocState = 0x00;
inline constexpr uint32_t kLocCtrl = 0x08;
inline constexpr uint32_t kLocSts = 0x0C;
inline constexpr uint32_t kIntfId = 0x30;    // 8 bytes: id, VID (0x34), DID (0x36)
inline constexpr uint32_t kCtrlExt = 0x38;   // 8 bytes
inline constexpr uint32_t kCtrlReq = 0x40;
inline constexpr uint32_t kCtrlSts = 0x44;
inline constexpr uint32_t kCtrlCancel = 0x48;
inline constexpr uint32_t kCtrlStart = 0x4C;
inline constexpr uint32_t kIntEnable = 0x50;
inline constexpr uint32_t kIntSts = 0x54;
inline constexpr uint32_t kCmdSize = 0x58;
inline constexpr uint32_t kCmdLaddr = 0x5C;
inline constexpr uint32_t kCmdHaddr = 0x60;
inline constexpr uint32_t kRspSize = 0x64;
inline constexpr uint32_t kRspAddr = 0x68;  // 8 bytes
inline constexpr uint32_t kDataBuffer = 0x80;
inline constexpr uint32_t kDataBufferSize = 0x1000 - kDataBuffer;  // 0xF80

// LOC_STATE bits.
inline constexpr uint32_t kStateEstablished = 1u << 0;  // 0 after a D-RTM (like TIS ACCESS bit 0)
inline constexpr uint32_t kStateLocAssigned = 1u << 1;
inline constexpr unsigned kStateActiveShift = 2;      // bits 4:2
inline constexpr uint32_t kStateRegValid = 1u << 7;
// LOC_CTRL bits.
inline constexpr uint32_t kCtrlRequestAccess = 1u << 0;
inline constexpr uint32_t kCtrlRelinquish = 1u << 1;
inline constexpr uint32_t kCtrlSeize = 1u << 2;
inline constexpr uint32_t kCtrlResetEstablishment = 1u << 3;
// LOC_STS bits.
inline constexpr uint32_t kStsGranted = 1u << 0;
inline constexpr uint32_t kStsBeenSeized = 1u << 1;
// CTRL_REQ / CTRL_STS bits.
inline constexpr uint32_t kReqCmdReady = 1u << 0;
inline constexpr uint32_t kReqGoIdle = 1u << 1;
inline constexpr uint32_t kCtrlStsFatal = 1u << 0;
inline constexpr uint32_t kCtrlStsIdle = 1u << 1;
// INT_ENABLE / INT_STS bits.
inline constexpr uint32_t kIntStart = 1u << 0;
inline constexpr uint32_t kIntCmdReady = 1u << 1;
inline constexpr uint32_t kIntEstablishmentClear = 1u << 2;
inline constexpr uint32_t kIntLocalityChanged = 1u << 3;
inline constexpr uint32_t kIntGlobal = 1u << 31;
inline constexpr uint32_t kIntEnableWritable = 0x8000000Fu;
inline constexpr uint32_t kIntStsBits = 0x0Fu;
}  // namespace crb

// INTERFACE_ID / INTF_ID fields (same positions for FIFO and CRB).
namespace intf {
inline constexpr uint32_t kTypeFifo = 0x0;
inline constexpr uint32_t kTypeCrb = 0x1;
inline constexpr unsigned kVersionShift = 4;
inline constexpr uint32_t kCapLocality = 1u << 8;        // all 5 localities
inline constexpr uint32_t kCapCrbIdleBypass = 1u << 9;   // CRB only
inline constexpr unsigned kXferSizeShift = 11;           // [12:11], 3 = 64 bytes
inline constexpr uint32_t kCapFifo = 1u << 13;
inline constexpr uint32_t kCapCrb = 1u << 14;
inline constexpr unsigned kSelectorShift = 17;           // [18:17] 0 FIFO, 1 CRB
inline constexpr uint32_t kSelLock = 1u << 19;
inline constexpr unsigned kRidShift = 24;                // CRB: [31:24]
}  // namespace intf

}  // namespace dlsim::tpm::ptp
