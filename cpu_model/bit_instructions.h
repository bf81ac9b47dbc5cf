// The general-purpose bit instructions dlsim executes itself: BMI1 (ANDN,
// BEXTR, BLSI, BLSMSK, BLSR, TZCNT), LZCNT (ABM) and POPCNT. Unicorn 2.1.1's
// CPU (qemu64) has none of them: it raises #UD for the VEX-encoded ones and
// POPCNT, #NM for the VEX ones while CR0.TS is set (they go down its SSE
// path; the APM and SDM list no #NM for them), and runs TZCNT/LZCNT as
// BSF/BSR. A CPU with these instructions is modelled when CPUID reports them
// (features bmi1, abm, popcnt); without the bit the VEX ones and POPCNT
// raise #UD and F3 0F BC / F3 0F BD are BSF / BSR, as on such a CPU.
//
// Flags the manuals leave undefined (AF and PF, and SF/OF/CF for BSF/BSR,
// SF/OF/PF/AF for TZCNT/LZCNT) are left unchanged. See docs/cpu.md.
#pragma once

namespace dlsim {

class SpecialInstructionRegistry;

void registerBitInstructions(SpecialInstructionRegistry& registry);

}  // namespace dlsim
