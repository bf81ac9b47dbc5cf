// `dlsim mkacm` and `dlsim acminfo` (acm_commands.h).
#include "txt_model/acm/acm_commands.h"

#include <fstream>
#include <iterator>
#include <vector>

#include "sim/errors.h"
#include "sim/hex.h"
#include "txt_model/acm/acm_builder.h"
#include "txt_model/acm/acm_module.h"
#include "txt_model/acm/acm_prelaunch_checks.h"
#include "txt_model/acm/acm_report.h"
#include "txt_model/acm/acm_signing_key.h"
#include "txt_model/acm/bios_acm_builder.h"
#include "txt_model/profiles/txt_profile.h"

namespace dlsim::txt {

int mkacmCommand(const std::string& profileName, const std::string& outPath, std::ostream& out, std::ostream& err) {
  try {
    TxtProfile p = resolveTxtProfile(profileName);
    std::vector<uint8_t> acm = buildSinitAcm(p);
    auto problems = preLaunchSinitProblems(parseAcmModule(acm, outPath), acm.size(), p);
    if (!problems.empty())
      throw InputError("TXT platform profile \"" + p.name + "\": its SINIT would fail pre-launch checks: " +
                       problems.front());
    std::ofstream f(outPath, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(acm.data()), static_cast<std::streamsize>(acm.size()));
    f.close();
    if (!f) throw InputError(outPath + ": cannot write the ACM");
    out << outPath << ": simulated SINIT for " << p.name << " (" << hex(acm.size()) << " bytes, chipset "
        << hex(p.vendorId()) << ":" << hex(p.deviceId()) << ", info table v" << p.sinitInfoTableVersion
        << ", capabilities " << hex(p.sinitCapabilities) << ")\n";
    return 0;
  } catch (const InputError& e) {
    err << "dlsim: mkacm: " << e.what() << "\n";
    return 2;
  }
}

int mkBiosAcmCommand(const std::string& profileName, const std::string& codePath, const std::string& outPath,
                     std::ostream& out, std::ostream& err, uint32_t segSel) {
  try {
    TxtProfile p = resolveTxtProfile(profileName);
    std::ifstream in(codePath, std::ios::binary);
    if (!in) throw InputError(codePath + ": cannot read the stand-in's code");
    std::vector<uint8_t> code((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<uint8_t> acm = buildBiosAcmStandIn(p, code, segSel);
    std::ofstream f(outPath, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(acm.data()), static_cast<std::streamsize>(acm.size()));
    f.close();
    if (!f) throw InputError(outPath + ": cannot write the ACM");
    out << outPath << ": BIOS ACM stand-in for " << p.name << " (" << hex(acm.size()) << " bytes, " << code.size()
        << " bytes of code from " << codePath << " at entry point 0x1000"
        << (segSel != kBiosAcmDefaultSegSel ? ", SegSel " + hex(segSel) : std::string()) << ")\n";
    return 0;
  } catch (const InputError& e) {
    err << "dlsim: mkacm: " << e.what() << "\n";
    return 2;
  }
}

int acminfoCommand(const std::string& path, const std::string& profileName, std::ostream& out, std::ostream& err) {
  try {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw InputError(path + ": cannot read");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    AcmModule m = parseAcmModule(bytes, path);
    out << renderAcmReport(m, bytes, path);
    bool signedByDlsim = m.header.rsaPublicKey == acmSigningKeyModulusLe();
    out << "signed with dlsim's simulated ACM key: " << (signedByDlsim ? "yes" : "no") << "\n";
    if (!profileName.empty()) {
      TxtProfile p = resolveTxtProfile(profileName);
      auto problems = preLaunchSinitProblems(m, bytes.size(), p);
      out << "tboot's pre-launch checks for " << p.name << ": " << (problems.empty() ? "pass" : "FAIL") << "\n";
      for (const auto& pr : problems) out << "\t " << pr << "\n";
    }
    return 0;
  } catch (const InputError& e) {
    err << "dlsim: acminfo: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace dlsim::txt
