# Generates build_info.cpp at every build (only rewritten when its content
# changes, so ccache and the linker see no change on a clean tree). Records the
# git commit and whether the source differed from it (with a hash of the
# difference): the provenance of every run record.
set(OCB_BUILD_INFO_CPP ${CMAKE_CURRENT_BINARY_DIR}/generated/build_info.cpp)
add_custom_target(ocb_build_info_gen
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR} -DOUT=${OCB_BUILD_INFO_CPP}
          -DVERSION=${PROJECT_VERSION} "-DCOMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
          -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/write_build_info.cmake
  BYPRODUCTS ${OCB_BUILD_INFO_CPP}
  COMMENT "ocbench: build info"
  VERBATIM)
add_library(ocb_build_info STATIC ${OCB_BUILD_INFO_CPP})
add_dependencies(ocb_build_info ocb_build_info_gen)
target_include_directories(ocb_build_info PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
