# Uses ccache as the compiler launcher when it is installed (rebuilds on CI and
# in new clones then cost seconds, not minutes).
find_program(OCB_CCACHE ccache)
if(OCB_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${OCB_CCACHE} CACHE STRING "Compiler launcher" FORCE)
endif()
set(ccache_launcher_FOUND TRUE)
