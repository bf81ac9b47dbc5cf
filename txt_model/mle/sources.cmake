# The MLE header and the MLE page-table walk and hash (txt_model/mle/). Paths
# relative to txt_model/; also read by the fuzz project (fuzz/standalone).
list(APPEND DLSIM_TXT_SOURCE_NAMES
  mle/mle_hash.cpp
  mle/mle_header.cpp
  mle/mle_page_walk.cpp
  mle/mle_rules.cpp
)
