#include "txt_model/heap/heap_rules.h"

#include <array>

#include "sim/errors.h"

namespace dlsim::txt::heap {
namespace {

constexpr SinitErrorCode placeholder(uint8_t major) { return SinitErrorCode{kPlaceholderHeapClass, major, 0, false}; }

// Indexed by HeapRule. References: SDG = Intel TXT Software Development
// Guide appendix C (heap); TB = tboot txt/heap.c, whose checks follow the
// SDG's field rules; VTD = VT-d specification (PLMBASE/PHMBASE registers).
const std::array<HeapRuleInfo, 25> kRules = {{
    {"heap.table_beyond_heap", "SDG C.1: the four tables lie within HEAP.SIZE (TB verify_txt_heap)", true, placeholder(1)},
    {"heap.table_size_too_small", "SDG C.1: each size counts its 8 bytes and the version's fields", true, placeholder(2)},
    {"heap.element_truncated", "SDG C.5: element {type, size >= 8} inside its table (TB verify_ext_data_elts)", true,
     placeholder(3)},
    {"heap.element_list_no_end", "SDG C.5: the element list ends with HEAP_END_ELEMENT", true, placeholder(4)},
    {"heap.element_malformed", "SDG C.5: element size matches its contents (TB verify_*_elt)", true, placeholder(5)},
    {"heap.sinit_mle_data.table_outside", "SDG C.4: MDR table and DMAR copy inside SinitMleData", true, placeholder(6)},
    {"heap.bios_data.version_unsupported", "SDG C.2: BiosData version the SINIT takes (TB: 2..6)", true,
     placeholder(7)},
    {"heap.bios_data.no_processors", "SDG C.2: NumLogicalProcessors >= 1 (TB verify_bios_data)", true, placeholder(8)},
    {"heap.os_sinit_data.version_unsupported",
     "SDG C.3 / ACM information table OsSinitDataVer: versions the SINIT takes (TB: 4..7)", true, placeholder(9)},
    {"heap.os_sinit_data.size_mismatch", "SDG C.3: v4 0x5C, v5 0x64, v6+ 0x64 + elements (TB calc_os_sinit_data_size)",
     true, placeholder(10)},
    {"heap.os_sinit_data.mle_size_zero", "SDG C.3 MLESize: the MLE has at least one byte", false, placeholder(11)},
    {"heap.os_sinit_data.mle_header_outside_mle", "SDG C.3 MLEHeaderBase: linear address inside the MLE", false,
     placeholder(12)},
    {"heap.os_sinit_data.page_table_unaligned", "SDG C.3 MLEPageTableBase: a 4 KiB aligned PDPT", true,
     placeholder(13)},
    {"heap.os_sinit_data.pmr_unaligned",
     "SDG Table 29 (OS to SINIT data): PMR base and size 2 MiB aligned (TrenchBoot GRUB GRUB_TXT_PMR_ALIGN cites it; tboot rounds to 2 MiB)", true, placeholder(14)},
    {"heap.os_sinit_data.pmr_overflow", "SDG C.3: PMR base + size within the address space", true, placeholder(15)},
    {"heap.os_sinit_data.pmr_low_above_4g", "SDG C.3 / VTD PLMR: the low PMR lies below 4 GiB", true,
     placeholder(16)},
    {"heap.os_sinit_data.pmr_overlap", "low and high PMR overlap (dlsim choice: SDG gives them as disjoint ranges)",
     false, placeholder(17)},
    {"heap.os_sinit_data.no_rlp_wake_method",
     "SDG C.3 Capabilities: exactly one of GETSEC[WAKEUP] / MONITOR wake-up, one the SINIT supports", true,
     placeholder(18)},
    {"heap.os_sinit_data.capability_unsupported",
     "SDG C.3 Capabilities: only capabilities the SINIT's information table offers", false, placeholder(19)},
    {"heap.os_sinit_data.event_log_element_missing",
     "SDG C.5: TPM 2.0 needs EVENT_LOG_POINTER2_1 (caps bit 9) or EVENT_LOG_POINTER2; TPM 1.2 TPM_EVENT_LOG_PTR",
     true, placeholder(20)},
    {"heap.os_sinit_data.event_log_pointer_invalid",
     "SDG C.5.8: FirstRecordOffset <= NextRecordOffset <= AllocatedEventContainerSize, size > 0", true,
     placeholder(21)},
    {"heap.os_sinit_data.event_log_outside_ram", "the event log container lies in RAM (SINIT writes it)", false,
     placeholder(22)},
    {"heap.os_sinit_data.event_log_overlaps_heap_tables",
     "the log may sit in OsMleData (tboot) but not over the tables SINIT reads or writes (dlsim choice)", false,
     placeholder(23)},
    {"heap.bios_data.acm_address_invalid", "SDG C.5.2: ACM element addresses nonzero and below 4 GiB (TB verify_acm_elt)",
     true, placeholder(24)},
    {"heap.bios_data.num_logical_procs_mismatch",
     "SDG C.2 NumLogicalProcessors: the platform's logical processor count, the processors SENTER's rendezvous "
     "gathers (tboot's post-launch code waits for NumLogicalProcs - 1 APs); that SINIT compares the two is a dlsim "
     "choice",
     false, placeholder(25)},
}};

}  // namespace

const HeapRuleInfo& heapRuleInfo(HeapRule rule) {
  auto i = static_cast<size_t>(rule);
  if (i >= kRules.size()) throw InternalError("heapRuleInfo: unknown rule " + std::to_string(i));
  return kRules[i];
}

const std::vector<HeapRule>& allHeapRules() {
  static const std::vector<HeapRule> all = [] {
    std::vector<HeapRule> v;
    for (size_t i = 0; i < kRules.size(); ++i) v.push_back(static_cast<HeapRule>(i));
    return v;
  }();
  return all;
}

}  // namespace dlsim::txt::heap
