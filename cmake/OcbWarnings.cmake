# One INTERFACE target carries the project's warning flags; third-party headers
# come in as SYSTEM includes, so these flags only ever fire on our own code.
add_library(ocb_warnings INTERFACE)
target_compile_options(ocb_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
if(OCB_WERROR)
  target_compile_options(ocb_warnings INTERFACE -Werror)
endif()
