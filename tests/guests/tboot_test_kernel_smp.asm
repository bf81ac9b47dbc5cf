; The test kernel of tboot_test_kernel.asm that also starts every application
; processor with INIT-SIPI-SIPI, the way an OS does, through tboot's handling
; of its held APs (scenarios/txt/tboot-cpus-*.json, docs/tboot.md): the code
; is tests/guests/include/tboot_test_kernel.inc and tboot_test_kernel_aps.inc.
%define TKERNEL_START_APS
%include "tboot_test_kernel.inc"
