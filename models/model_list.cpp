// The platform models dlsim is built with (see model_list.h).
#include "models/model_list.h"

#include "svm_model/platform/svm_platform_model.h"
#include "tpm_model/platform/tpm_platform_model.h"
#include "txt_model/platform/txt_platform_model.h"
#include "txt_model/vtd_platform/vtd_platform_model.h"

namespace dlsim {

const ModelList& platformModels() {
  static const ModelList models = {
      &tpmPlatformModel(),
      &txt::txtPlatformModel(),
      &txt::vtdPlatformModel(),
      &svm::svmPlatformModel(),
  };
  return models;
}

}  // namespace dlsim
