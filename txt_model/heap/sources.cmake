# The TXT heap (txt_model/heap/): layouts, bounded parsing, builders, SINIT's
# checks and the report rendering. Paths relative to txt_model/; also read by
# the fuzz project (fuzz/standalone).
list(APPEND DLSIM_TXT_SOURCE_NAMES
  heap/heap_build.cpp
  heap/heap_elements.cpp
  heap/heap_parse.cpp
  heap/heap_render.cpp
  heap/heap_rules.cpp
  heap/heap_validate.cpp
)
