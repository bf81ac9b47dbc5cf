; MWAIT wakes on a same-value store to the monitored line that follows, in a
; later basic block, a store elsewhere in the same page (see
; include/mwait_same_value.inc); scenarios/core/mwait-same-value-open-page.json.
%define OPEN_PAGE_FIRST
%include "mwait_same_value.inc"
