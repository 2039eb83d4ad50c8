# Finds LIBSVM (Debian: libsvm-dev) and defines the imported target LIBSVM::svm.
find_path(LIBSVM_INCLUDE_DIR NAMES svm.h PATH_SUFFIXES libsvm)
find_library(LIBSVM_LIBRARY NAMES svm)
if(LIBSVM_INCLUDE_DIR AND EXISTS "${LIBSVM_INCLUDE_DIR}/svm.h")
  file(STRINGS "${LIBSVM_INCLUDE_DIR}/svm.h" _ocb_svm_version REGEX "#define LIBSVM_VERSION")
  string(REGEX MATCH "[0-9]+" LIBSVM_VERSION "${_ocb_svm_version}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LIBSVM REQUIRED_VARS LIBSVM_LIBRARY LIBSVM_INCLUDE_DIR VERSION_VAR LIBSVM_VERSION)
if(LIBSVM_FOUND AND NOT TARGET LIBSVM::svm)
  add_library(LIBSVM::svm UNKNOWN IMPORTED)
  set_target_properties(LIBSVM::svm PROPERTIES
    IMPORTED_LOCATION "${LIBSVM_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${LIBSVM_INCLUDE_DIR}")
endif()
mark_as_advanced(LIBSVM_INCLUDE_DIR LIBSVM_LIBRARY)
