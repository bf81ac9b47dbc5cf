# Every external dependency is a Debian package installed by scripts/setup.sh.
find_package(PkgConfig REQUIRED)

pkg_check_modules(UNICORN REQUIRED IMPORTED_TARGET unicorn)
if(UNICORN_VERSION VERSION_LESS 2.1)
  message(FATAL_ERROR
    "dlsim needs Unicorn >= 2.1 but found ${UNICORN_VERSION}. Unicorn 2.0.x sends "
    "every guest store through a slow path (about 20x slower). Run scripts/setup.sh: "
    "it installs Debian trixie's libunicorn-dev 2.1.1, pinned, on bookworm.")
endif()

pkg_check_modules(CAPSTONE REQUIRED IMPORTED_TARGET capstone)
pkg_check_modules(BOTAN REQUIRED IMPORTED_TARGET botan-2)
# Serial `matches` checks: linear-time regular expressions (sim/checks/line_regex.h).
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(GTest REQUIRED)
find_package(Threads REQUIRED)
# gzip'd images and modules, inflated as GRUB loads them (sim/loaders/image_bytes.h).
find_package(ZLIB REQUIRED)

find_program(NASM_EXECUTABLE nasm REQUIRED)
find_program(PYTHON3_EXECUTABLE python3 REQUIRED)
