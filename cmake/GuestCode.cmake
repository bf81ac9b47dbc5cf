# Guest programs are built from source at build time (never checked in).
#
# dlsim_guest_nasm(NAME SRC)   -> flat binary ${CMAKE_BINARY_DIR}/guests/NAME.bin
#   (nasm -f bin; the source sets its own ORG/BITS)
# dlsim_guest_nasm_elf(NAME SRC) -> ELF32 ${CMAKE_BINARY_DIR}/guests/NAME.elf
#   (nasm -f elf32, linked with ld -m elf_i386 using the source's own section
#    addresses given by LINKER_ARGS)
# All guest outputs are collected in the target `guests`. Sources may
# `%include "name.inc"` from tests/guests/include/ (shared routines); nasm
# writes a depfile so an edited include rebuilds the guests that use it.
set(DLSIM_GUEST_DIR ${CMAKE_BINARY_DIR}/guests)
# The reference secure-launch stub and its SINIT ACM (stub/CMakeLists.txt).
set(DLSIM_STUB_DIR ${CMAKE_BINARY_DIR}/stub)
# The directories a scenario names as "@NAME/FILE", "NAME=ENVVAR=DIR" joined
# by '|': the environment variable overrides the build tree's directory
# (sim/scenario/input_path.h). A new directory of built inputs is one entry.
set(DLSIM_BUILT_INPUT_DIRS "guests=DLSIM_GUEST_DIR=${DLSIM_GUEST_DIR}|stub=DLSIM_STUB_DIR=${DLSIM_STUB_DIR}")
set(DLSIM_GUEST_INCLUDE ${PROJECT_SOURCE_DIR}/tests/guests/include/)
file(MAKE_DIRECTORY ${DLSIM_GUEST_DIR})
add_custom_target(guests ALL)

function(dlsim_guest_nasm name src)
  set(out ${DLSIM_GUEST_DIR}/${name}.bin)
  add_custom_command(OUTPUT ${out}
    COMMAND ${NASM_EXECUTABLE} -f bin -w+all -i ${DLSIM_GUEST_INCLUDE} -MD ${out}.d -o ${out} ${src}
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
  add_custom_command(OUTPUT ${out}
    COMMAND ${NASM_EXECUTABLE} -f elf32 -w+all -i ${DLSIM_GUEST_INCLUDE} -MD ${out}.d -MT ${out} -o ${obj} ${src}
    COMMAND ld -m elf_i386 -nostdlib ${G_LINKER_ARGS} -o ${out} ${obj}
    DEPENDS ${src}
    DEPFILE ${out}.d
    COMMENT "guest ${name}.elf (nasm + ld)")
  add_custom_target(guest_${name} DEPENDS ${out})
  add_dependencies(guests guest_${name})
endfunction()
