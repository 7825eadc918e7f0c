# How a layer is built: every `foo.cc` in the folder goes into the layer's library,
# every `foo_test.cc` into the layer's test binary, every `foo_cluster_test.cc` into
# the layer's cluster test binary (root, virtual cluster), every `foo_fuzz.cc` into a
# libFuzzer target. Files are found by name so that adding a noun is adding its files.

# `--target unit-tests` builds what the unit tests need and no cluster test binary, fuzzer
# or benchmark: the armhf step of scripts/test builds only this.
add_custom_target(unit-tests)

# beowulf_layer(NAME DEPS...): library beowulf_NAME from src/NAME, linking DEPS.
function(beowulf_layer name)
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc)
  list(FILTER sources EXCLUDE REGEX "_(test|cluster_test|fuzz|main)\\.cc$")
  if(sources)
    add_library(beowulf_${name} STATIC ${sources})
    target_include_directories(beowulf_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(beowulf_${name} PUBLIC ${ARGN})
  else()
    add_library(beowulf_${name} INTERFACE)
    target_include_directories(beowulf_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(beowulf_${name} INTERFACE ${ARGN})
  endif()
  beowulf_layer_tests(${name} unit "_test" beowulf_${name})
  beowulf_layer_tests(${name} cluster "_cluster_test" beowulf_${name})
  beowulf_layer_fuzzers(${name})
endfunction()

# One GoogleTest binary NAME_test (or NAME_cluster_test) per layer, labelled LABEL.
function(beowulf_layer_tests name label suffix lib)
  file(GLOB tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*${suffix}.cc)
  if(suffix STREQUAL "_test")
    list(FILTER tests EXCLUDE REGEX "_cluster_test\\.cc$")
  endif()
  if(NOT tests)
    return()
  endif()
  set(target ${name}${suffix})
  add_executable(${target} ${tests})
  target_link_libraries(${target} PRIVATE ${lib} GTest::gtest_main GTest::gmock)
  target_compile_definitions(${target} PRIVATE
    BEOWULF_BINARY_DIR="${PROJECT_BINARY_DIR}"
    BEOWULF_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    BEOWULF_MPIEXEC="${BEOWULF_MPIEXEC}")
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    # A cross build's tests run under qemu-user (CTest starts them through the emulator):
    # the few that cannot hold there skip, naming it; natively they run as always.
    target_compile_definitions(${target} PRIVATE BEOWULF_TESTS_EMULATED_BY="qemu-${BEOWULF_QEMU_ARCH}")
  endif()
  if(label STREQUAL "unit")
    add_dependencies(unit-tests ${target})
  endif()
  if(TARGET beowulf-cpi)
    add_dependencies(${target} beowulf-cpi)
  endif()
  gtest_discover_tests(${target} PROPERTIES LABELS ${label} DISCOVERY_TIMEOUT 60)
endfunction()

# libFuzzer targets, built only with -DBEOWULF_FUZZ=ON and clang.
function(beowulf_layer_fuzzers name)
  if(NOT BEOWULF_FUZZ)
    return()
  endif()
  if(NOT TARGET fuzzers)
    add_custom_target(fuzzers)
  endif()
  file(GLOB fuzzers CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_fuzz.cc)
  foreach(fuzzer ${fuzzers})
    get_filename_component(target ${fuzzer} NAME_WE)
    add_executable(${target} ${fuzzer})
    add_dependencies(fuzzers ${target})
    set_target_properties(${target} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fuzzers)
    target_link_libraries(${target} PRIVATE beowulf_${name})
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer)
    target_link_options(${target} PRIVATE -fsanitize=fuzzer)
  endforeach()
endfunction()
