# Guest programs are built from source at build time (never checked in).
#
# dlsim_guest_nasm(NAME SRC)   -> flat binary ${CMAKE_BINARY_DIR}/guests/NAME.bin
#   (nasm -f bin; the source sets its own ORG/BITS)
# dlsim_guest_nasm_elf(NAME SRC) -> ELF32 ${CMAKE_BINARY_DIR}/guests/NAME.elf
#   (nasm -f elf32, linked with ld -m elf_i386 using the source's own section
#    addresses given by LINKER_ARGS)
# All guest outputs are collected in the target `guests`. Sources may
# `%include "name.inc"` from tests/guests/include/ (shared routines); nasm
# writes a depfile so an edited include rebuilds the guests that use it
# (dlsim_nasm_depfile_command; CTest guest-depfiles checks it).
set(DLSIM_GUEST_DIR ${CMAKE_BINARY_DIR}/guests)
# The reference secure-launch stub and its SINIT ACM (stub/CMakeLists.txt).
set(DLSIM_STUB_DIR ${CMAKE_BINARY_DIR}/stub)
# The directories a scenario names as "@NAME/FILE", "NAME=ENVVAR=DIR" joined
# by '|': the environment variable overrides the build tree's directory
# (sim/scenario/input_path.h). A new directory of built inputs is one entry.
# Debian's tboot package unpacked (never installed) by scripts/fetch-tboot.sh:
# scenarios/txt/tboot-*.json load "@tboot/boot/tboot.gz".
set(DLSIM_TBOOT_DIR ${PROJECT_SOURCE_DIR}/.cache/debian-tboot CACHE PATH
    "Debian's tboot package unpacked with dpkg -x (scripts/fetch-tboot.sh)")
# The user's TrenchBoot secure-kernel-loader build (docs/skl.md): only
# $DLSIM_SKL_DIR names it (no default); scenarios/amd/skl-launch-*.json load
# "@skl/skl.bin".
set(DLSIM_BUILT_INPUT_DIRS
    "guests=DLSIM_GUEST_DIR=${DLSIM_GUEST_DIR}|stub=DLSIM_STUB_DIR=${DLSIM_STUB_DIR}|tboot=DLSIM_TBOOT_DIR=${DLSIM_TBOOT_DIR}|skl=DLSIM_SKL_DIR=")
set(DLSIM_GUEST_INCLUDE ${PROJECT_SOURCE_DIR}/tests/guests/include/)
file(MAKE_DIRECTORY ${DLSIM_GUEST_DIR})
add_custom_target(guests ALL)

# dlsim_nasm_depfile_command(VAR SRC TARGET DEPFILE NASM_FLAGS...) sets VAR to
# a COMMAND writing DEPFILE: TARGET depends on SRC and every file it
# %includes. A pass of its own (-M, preprocessing only) because nasm
# 2.16.01's -MD, which assembles at the same time, lists the source alone
# (fixed in 2.16.02): an edited include rebuilt nothing. NASM_FLAGS are the
# assembling command's (the same -i paths and -D values find the same files);
# warnings are the assembling pass's to give (-w-all here: preprocessing
# alone, nasm 2.16.01 warns falsely about the [warning push] of `section`).
function(dlsim_nasm_depfile_command var src target depfile)
  set(${var} COMMAND ${NASM_EXECUTABLE} ${ARGN} -w-all -M -MF ${depfile} -MT ${target} ${src} PARENT_SCOPE)
endfunction()

function(dlsim_guest_nasm name src)
  set(out ${DLSIM_GUEST_DIR}/${name}.bin)
  set(flags -f bin -w+all -i ${DLSIM_GUEST_INCLUDE})
  dlsim_nasm_depfile_command(deps ${src} ${out} ${out}.d ${flags})
  add_custom_command(OUTPUT ${out}
    ${deps}
    COMMAND ${NASM_EXECUTABLE} ${flags} -o ${out} ${src}
    DEPENDS ${src}
    DEPFILE ${out}.d
    COMMENT "guest ${name}.bin (nasm)")
  add_custom_target(guest_${name} DEPENDS ${out})
  add_dependencies(guests guest_${name})
endfunction()

function(dlsim_guest_nasm_elf name src)
  cmake_parse_arguments(G "" "" "LINKER_ARGS" ${ARGN})
  set(obj ${DLSIM_GUEST_DIR}/${name}.o)
  set(out ${DLSIM_GUEST_DIR}/${name}.elf)
  set(flags -f elf32 -w+all -i ${DLSIM_GUEST_INCLUDE})
  dlsim_nasm_depfile_command(deps ${src} ${out} ${out}.d ${flags})
  add_custom_command(OUTPUT ${out}
    ${deps}
    COMMAND ${NASM_EXECUTABLE} ${flags} -o ${obj} ${src}
    COMMAND ld -m elf_i386 -nostdlib ${G_LINKER_ARGS} -o ${out} ${obj}
    DEPENDS ${src}
    DEPFILE ${out}.d
    COMMENT "guest ${name}.elf (nasm + ld)")
  add_custom_target(guest_${name} DEPENDS ${out})
  add_dependencies(guests guest_${name})
endfunction()
