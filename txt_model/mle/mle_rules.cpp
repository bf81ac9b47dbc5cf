#include "txt_model/mle/mle_rules.h"

#include <array>

#include "sim/errors.h"

namespace dlsim::txt::mle {
namespace {

constexpr SinitErrorCode placeholder(uint8_t major) { return SinitErrorCode{kPlaceholderMleClass, major, 0, false}; }

// SDG = Intel TXT Software Development Guide. The page-table rules are the
// SDG's as quoted on grub-devel (TrenchBoot TXT series review): "There may
// not be any invalid (not-present) page table entries after the first valid
// entry", "A breadth-first search of page tables must produce increasing
// physical addresses", and "Neither the MLE nor the page tables may overlap
// ... device memory, [640K, 1M], above TOM, the TXT heap or SINIT memory
// regions, VT-d DMAR tables". TrenchBoot GRUB notes that SINIT rejects
// mappings past the MLE end its header declares.
const std::array<MleRuleInfo, 17> kRules = {{
    {"mle.header.unreadable", "SDG MLE header: at OsSinitData.MLEHeaderBase inside the mapped MLE", true,
     placeholder(1)},
    {"mle.header.bad_uuid", "SDG MLE header: UUID 9082AC5A-476F-74A7-5C0F-55A2CB51B642", true, placeholder(2)},
    {"mle.header.version_unsupported",
     "ACM information table MinMleHeaderVer: the SINIT takes versions from it up to 2.x", true, placeholder(3)},
    {"mle.header.length_too_small", "SDG MLE header: HeaderLen covers the version's fields", false, placeholder(4)},
    {"mle.header.outside_mle", "SDG MLE header: the header lies inside the measured MLE", false, placeholder(5)},
    {"mle.header.entry_outside_mle", "SDG MLE header EntryPoint: a linear address inside the MLE", true,
     placeholder(6)},
    {"mle.header.size_mismatch",
     "OsSinitData.MLESize = MleEndOffset - MleStartOffset (tboot sets it so; TrenchBoot GRUB: SINIT rejects mappings "
     "past the header's end)",
     true, placeholder(7)},
    {"mle.header.capability_not_in_header",
     "the RLP wake-up method and TCG log format OsSinitData selects are ones the MLE header declares (dlsim choice)",
     false, placeholder(8)},
    {"mle.header.cmdline_window_invalid", "SDG MLE header 2.1: CmdlineStartOffset <= CmdlineEndOffset (dlsim choice)",
     false, placeholder(9)},
    {"mle.page_table.bad_size", "MLESize between 1 byte and 4 GiB (4 PAE page-directory-pointer entries)", true,
     placeholder(10)},
    {"mle.page_table.unreadable", "SDG: page tables and MLE pages in RAM", true, placeholder(11)},
    {"mle.page_table.not_present", "SDG: no not-present entry after the first valid one (no gaps)", true,
     placeholder(12)},
    {"mle.page_table.large_page", "SDG / tboot build_mle_pagetable: the MLE page tables hold only 4 KiB pages", true,
     placeholder(13)},
    {"mle.page_table.not_increasing", "SDG: a breadth-first walk produces increasing physical addresses", true,
     placeholder(14)},
    {"mle.page_table.mapping_beyond_mle", "TrenchBoot GRUB: SINIT rejects mappings past the MLE's end", true,
     placeholder(15)},
    {"mle.page_table.overlaps_forbidden_region",
     "SDG: neither the MLE nor its page tables overlap device memory, [640K, 1M], above TOM, the heap, SINIT or DMAR",
     true, placeholder(16)},
    {"mle.header.first_valid_page",
     "SDG MLE header FirstValidPage: the linear address of the MLE's first valid page; SINIT measures MLESize bytes "
     "from linear 0, the first MLE page (spec §4), and every public MLE (tboot, Linux, Xen, GRUB) writes 0; that "
     "SINIT refuses another value is a dlsim choice",
     false, placeholder(17)},
}};

}  // namespace

const MleRuleInfo& mleRuleInfo(MleRule rule) {
  auto i = static_cast<size_t>(rule);
  if (i >= kRules.size()) throw InternalError("mleRuleInfo: unknown rule " + std::to_string(i));
  return kRules[i];
}

const std::vector<MleRule>& allMleRules() {
  static const std::vector<MleRule> all = [] {
    std::vector<MleRule> v;
    for (size_t i = 0; i < kRules.size(); ++i) v.push_back(static_cast<MleRule>(i));
    return v;
  }();
  return all;
}

}  // namespace dlsim::txt::mle
