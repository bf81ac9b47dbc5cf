# Benchmark guests (built from source here, never checked in) and the
# dlsim-bench program. Included by bench/CMakeLists.txt.

# --- guests -----------------------------------------------------------------
# Loop iterations: 32 instructions each (loop.asm), so 200 M / 20 M in the
# main loop. The host model reads the same numbers (compile definitions below).
set(DLSIM_BENCH_LOOP_ITERATIONS 6250000)
set(DLSIM_BENCH_LOOP_ITERATIONS_QUICK 625000)
# RDTSC executions of the intercept-cost guest (rdtsc_loop.asm).
set(DLSIM_BENCH_RDTSC_ITERATIONS 1000000)
set(DLSIM_BENCH_RDTSC_ITERATIONS_QUICK 100000)
set(DLSIM_BENCH_GUEST_DIR ${DLSIM_GUEST_DIR}/bench)
set(BENCH_GUEST_SRC ${CMAKE_CURRENT_SOURCE_DIR}/guests)
file(MAKE_DIRECTORY ${DLSIM_BENCH_GUEST_DIR})

find_program(DLSIM_BENCH_GUEST_GCC gcc)
find_program(DLSIM_BENCH_GUEST_LD ld)
find_program(DLSIM_BENCH_GUEST_OBJCOPY objcopy)
set(BENCH_GUEST_CFLAGS -m32 -ffreestanding -fno-pic -fno-stack-protector -nostdlib -O2
    -fno-tree-loop-distribute-patterns -mgeneral-regs-only -fcf-protection=none
    -fno-asynchronous-unwind-tables -Wall -Wextra -Werror -I${BENCH_GUEST_SRC})
set(BENCH_GUEST_LDFLAGS -m elf_i386 -nostdlib -z noexecstack --build-id=none -T ${BENCH_GUEST_SRC}/guest.ld)

# Can this gcc build 32-bit freestanding code? (-ffreestanding needs only
# gcc's own stdint.h, no multilib libc headers.)
set(DLSIM_BENCH_GUESTS_OK FALSE)
if(DLSIM_BENCH_GUEST_GCC AND DLSIM_BENCH_GUEST_LD AND DLSIM_BENCH_GUEST_OBJCOPY)
  set(probe_src ${CMAKE_CURRENT_BINARY_DIR}/m32_probe.c)
  file(WRITE ${probe_src} "#include <stdint.h>\nuint32_t f(uint64_t x) { return (uint32_t)(x >> 3); }\n")
  execute_process(COMMAND ${DLSIM_BENCH_GUEST_GCC} ${BENCH_GUEST_CFLAGS} -c ${probe_src}
                          -o ${CMAKE_CURRENT_BINARY_DIR}/m32_probe.o
                  RESULT_VARIABLE probe_rc OUTPUT_QUIET ERROR_VARIABLE probe_err)
  if(probe_rc EQUAL 0)
    set(DLSIM_BENCH_GUESTS_OK TRUE)
  else()
    message(WARNING "dlsim-bench skipped: '${DLSIM_BENCH_GUEST_GCC} -m32 -ffreestanding' cannot build "
                    "32-bit code here (${probe_err}). On Debian, installing gcc-multilib provides it.")
  endif()
  # binutils >= 2.39 warns about the single RWX segment a flat guest has.
  execute_process(COMMAND ${DLSIM_BENCH_GUEST_LD} --help OUTPUT_VARIABLE ld_help ERROR_QUIET)
  if(ld_help MATCHES "no-warn-rwx-segments")
    list(APPEND BENCH_GUEST_LDFLAGS --no-warn-rwx-segments)
  endif()
else()
  message(WARNING "dlsim-bench skipped: gcc, ld or objcopy not found")
endif()

if(DLSIM_BENCH_GUESTS_OK)
  add_custom_target(bench_guests)
  set(start_obj ${DLSIM_BENCH_GUEST_DIR}/start.o)
  add_custom_command(OUTPUT ${start_obj}
    COMMAND ${NASM_EXECUTABLE} -f elf32 -w+all -I${BENCH_GUEST_SRC}/ -o ${start_obj} ${BENCH_GUEST_SRC}/start.asm
    DEPENDS ${BENCH_GUEST_SRC}/start.asm ${BENCH_GUEST_SRC}/guest_abi.inc
    COMMENT "bench guest start.o")

  # bench_guest_link(NAME OBJ): NAME.elf (multiboot ELF) and NAME.bin (flat).
  function(bench_guest_link name obj)
    set(elf ${DLSIM_BENCH_GUEST_DIR}/${name}.elf)
    set(bin ${DLSIM_BENCH_GUEST_DIR}/${name}.bin)
    add_custom_command(OUTPUT ${elf} ${bin}
      COMMAND ${DLSIM_BENCH_GUEST_LD} ${BENCH_GUEST_LDFLAGS} -o ${elf} ${start_obj} ${obj}
      COMMAND ${DLSIM_BENCH_GUEST_OBJCOPY} -O binary ${elf} ${bin}
      DEPENDS ${start_obj} ${obj} ${BENCH_GUEST_SRC}/guest.ld
      COMMENT "bench guest ${name}.elf/.bin")
    add_custom_target(bench_guest_${name} DEPENDS ${elf} ${bin})
    add_dependencies(bench_guests bench_guest_${name})
  endfunction()

  foreach(mib 1 16)
    set(obj ${DLSIM_BENCH_GUEST_DIR}/sha256_${mib}MiB.o)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${DLSIM_BENCH_GUEST_GCC} ${BENCH_GUEST_CFLAGS} -DSHA_DATA_MIB=${mib}
              -c ${BENCH_GUEST_SRC}/sha256_guest.c -o ${obj}
      DEPENDS ${BENCH_GUEST_SRC}/sha256_guest.c ${BENCH_GUEST_SRC}/guest_abi.h
      COMMENT "bench guest sha256 (${mib} MiB) object")
    bench_guest_link(sha256-${mib}MiB ${obj})
  endforeach()

  foreach(variant loop loop-quick)
    if(variant STREQUAL "loop")
      set(iters ${DLSIM_BENCH_LOOP_ITERATIONS})
    else()
      set(iters ${DLSIM_BENCH_LOOP_ITERATIONS_QUICK})
    endif()
    set(obj ${DLSIM_BENCH_GUEST_DIR}/${variant}.o)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${NASM_EXECUTABLE} -f elf32 -w+all -DLOOP_ITERATIONS=${iters} -o ${obj} ${BENCH_GUEST_SRC}/loop.asm
      DEPENDS ${BENCH_GUEST_SRC}/loop.asm
      COMMENT "bench guest ${variant} object")
    bench_guest_link(${variant} ${obj})
  endforeach()

  foreach(variant rdtsc rdtsc-quick)
    if(variant STREQUAL "rdtsc")
      set(iters ${DLSIM_BENCH_RDTSC_ITERATIONS})
    else()
      set(iters ${DLSIM_BENCH_RDTSC_ITERATIONS_QUICK})
    endif()
    set(obj ${DLSIM_BENCH_GUEST_DIR}/${variant}.o)
    add_custom_command(OUTPUT ${obj}
      COMMAND ${NASM_EXECUTABLE} -f elf32 -w+all -DRDTSC_ITERATIONS=${iters} -o ${obj} ${BENCH_GUEST_SRC}/rdtsc_loop.asm
      DEPENDS ${BENCH_GUEST_SRC}/rdtsc_loop.asm
      COMMENT "bench guest ${variant} object")
    bench_guest_link(${variant} ${obj})
  endforeach()

  # --- host side ---------------------------------------------------------------
  add_library(dlsim_bench_core STATIC
    ${CMAKE_CURRENT_SOURCE_DIR}/bench_guest.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/reference_results.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/bare_unicorn.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/block_counter.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/qemu_runner.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/bench_report.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/bench_goals.cpp)
  target_include_directories(dlsim_bench_core PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(dlsim_bench_core PUBLIC dlsim_cpu PkgConfig::UNICORN PkgConfig::CAPSTONE PkgConfig::BOTAN
                        nlohmann_json::nlohmann_json)

  add_executable(dlsim-bench ${CMAKE_CURRENT_SOURCE_DIR}/bench_main.cpp)
  target_link_libraries(dlsim-bench PRIVATE dlsim_bench_core CLI11::CLI11)
  target_compile_definitions(dlsim-bench PRIVATE
    DLSIM_BENCH_GUEST_DIR="${DLSIM_BENCH_GUEST_DIR}"
    DLSIM_BENCH_LOOP_ITERATIONS=${DLSIM_BENCH_LOOP_ITERATIONS}
    DLSIM_BENCH_LOOP_ITERATIONS_QUICK=${DLSIM_BENCH_LOOP_ITERATIONS_QUICK}
    DLSIM_BENCH_RDTSC_ITERATIONS=${DLSIM_BENCH_RDTSC_ITERATIONS}
    DLSIM_BENCH_RDTSC_ITERATIONS_QUICK=${DLSIM_BENCH_RDTSC_ITERATIONS_QUICK})
  add_dependencies(dlsim-bench bench_guests)

  # The dlsim columns: only once the machine's author has written the seam.
  if(TARGET dlsim_machine AND EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/dlsim_runner.cpp)
    target_sources(dlsim-bench PRIVATE
      ${CMAKE_CURRENT_SOURCE_DIR}/dlsim_runner.cpp
      ${CMAKE_CURRENT_SOURCE_DIR}/bench_machine.cpp
      ${CMAKE_CURRENT_SOURCE_DIR}/snapshot_bench.cpp
      ${CMAKE_CURRENT_SOURCE_DIR}/rss_probe.cpp)
    target_link_libraries(dlsim-bench PRIVATE dlsim_machine)
    target_compile_definitions(dlsim-bench PRIVATE DLSIM_BENCH_HAVE_DLSIM=1)
  endif()

  # Smoke test: quick run; fails if any guest result differs from the host's
  # reference. No timing assertions.
  # The snapshot-restore section has its own test (run -> restore -> run must
  # repeat exactly), so a failure there is named for what it is.
  add_test(NAME bench-smoke COMMAND dlsim-bench --quick --runs 1 --no-snapshot)
  add_test(NAME bench-snapshot-rerun COMMAND dlsim-bench --quick --runs 1 --snapshot-only)
  set_tests_properties(bench-smoke bench-snapshot-rerun PROPERTIES TIMEOUT 60)
  if(DLSIM_SANITIZE)
    set_tests_properties(bench-smoke bench-snapshot-rerun PROPERTIES
      ENVIRONMENT "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp")
  endif()
endif()
