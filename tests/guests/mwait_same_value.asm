; MWAIT wakes on a same-value store to the monitored line (see
; include/mwait_same_value.inc); scenarios/core/mwait-same-value.json.
%include "mwait_same_value.inc"
