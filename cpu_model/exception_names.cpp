#include "cpu_model/exception_names.h"

namespace dlsim {

std::string exceptionName(uint32_t v) {
  static const char* names[32] = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#MF(9)", "#TS",
                                  "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP"};
  if (v < 32 && names[v]) return names[v];
  return "vector " + std::to_string(v);
}

bool exceptionHasErrorCode(uint32_t v) {
  return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21;
}

}  // namespace dlsim
