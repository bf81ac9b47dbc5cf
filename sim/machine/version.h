// dlsim's version string, from the CMake project version.
#pragma once
namespace dlsim {
const char* versionString();
}
