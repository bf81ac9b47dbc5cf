// The composition root: the one place that names the platform models dlsim
// is built with. Adding a model (txt_model, svm_model) is its library plus
// one line in model_list.cpp and one in models/CMakeLists.txt.
#pragma once
#include "sim/model_api/platform_model.h"

namespace dlsim {

// Every platform model, in the order their sections are parsed, installed,
// checked and reported.
const ModelList& platformModels();

}  // namespace dlsim
