; The test kernel tboot hands over to (scenarios/txt/tboot-*.json,
; docs/tboot.md): prints on COM1 what tboot handed it and halts. The code is
; tests/guests/include/tboot_test_kernel.inc, shared with
; tboot_test_kernel_smp.asm.
%include "tboot_test_kernel.inc"
