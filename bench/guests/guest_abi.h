/* The contract between the benchmark guests and the host runners: where a
 * guest leaves its result, where the SHA-256 guest builds its data and how
 * that data is generated. Included by the freestanding guest C code and by
 * the host C++ code, so it uses only the preprocessor. start.asm and loop.asm
 * repeat the values they need in guest_abi.inc (keep the two in step; the
 * bench-smoke test fails if they drift, because the host then finds no
 * result block). */
#ifndef DLSIM_BENCH_GUEST_ABI_H
#define DLSIM_BENCH_GUEST_ABI_H

/* Result block, written by start.asm after bench_main returns:
 *   +0  u32 magic (written last, so a present magic means a complete block)
 *   +4  u32 length of the result in bytes (at most BENCH_RESULT_MAX)
 *   +16 the result bytes
 * 0x8000 rather than 0x9000: QEMU's multiboot loader puts its boot
 * information structure at 0x9000. */
#define BENCH_RESULT_BLOCK_ADDR 0x8000u
#define BENCH_RESULT_MAGIC 0x52424C44u /* "DLBR" little-endian */
#define BENCH_RESULT_DATA_OFFSET 16u
#define BENCH_RESULT_MAX 64u

/* Every guest image is linked to run at 1 MiB (multiboot convention). */
#define BENCH_IMAGE_BASE 0x100000u

/* The SHA-256 guest fills SHA_DATA_MIB MiB at BENCH_SHA_DATA_ADDR with 32-bit
 * little-endian words w[i] = x ^ (x >> 15), where x runs the LCG
 * x = x * BENCH_LCG_MUL + BENCH_LCG_ADD starting from BENCH_LCG_SEED and is
 * advanced once before each word. The result is the SHA-256 digest of those
 * bytes (32 bytes, in the usual big-endian digest order). */
#define BENCH_SHA_DATA_ADDR 0x400000u
#define BENCH_LCG_SEED 0x2545F491u
#define BENCH_LCG_MUL 1664525u
#define BENCH_LCG_ADD 1013904223u

#endif
