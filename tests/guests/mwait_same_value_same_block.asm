; MWAIT wakes on a same-value store to the monitored line that follows, in
; the same basic block, a store elsewhere in the same page (see
; include/mwait_same_value.inc); scenarios/core/mwait-same-value-same-block.json.
%define OPEN_PAGE_FIRST
%define SAME_BLOCK
%include "mwait_same_value.inc"
