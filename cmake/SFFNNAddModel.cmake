#===- SFFNNAddModel.cmake - Compile a network at build time ---------------===#
#
# sffnn_add_model(<target> MODEL <file> [NAME <c-name>] [STRATEGY <s>]
#                 [SEED <n>] [ITERATIONS <n>] [FAST_MEMORY <words>]
#                 [CODEGEN <mode>] [TARGET_CPU <cpu>] [TARGET_TRIPLE <triple>]
#                 [SHARED])
#
# Runs SFFNN::sffnn-compile on MODEL (.onnx, .mlir, .mlirbc, .tsv, .mtx;
# relative to the current source directory) at build time and makes
# <target>, a static library (SHARED: a shared library) of the generated
# object, whose include directory holds <NAME>.h (docs/codegen.md, "ABI").
# NAME defaults to <target> and must be a C identifier; the other options
# are sffnn-compile's (--strategy, --seed, --iterations, --fast-memory,
# --codegen, --target-cpu, --target-triple), its defaults where not given.
# The model is compiled again when the model file, sffnn-compile or the
# options change.
# Users link it with target_link_libraries(app PRIVATE <target>); it brings
# POSIX threads (NAME_batch_parallel) and libm.
#
#===-----------------------------------------------------------------------===#
include_guard(GLOBAL)
find_package(Threads REQUIRED)

function(sffnn_add_model target)
  cmake_parse_arguments(ARG "SHARED"
    "MODEL;NAME;STRATEGY;SEED;ITERATIONS;FAST_MEMORY;CODEGEN;TARGET_CPU;TARGET_TRIPLE"
    "" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "sffnn_add_model(${target}): unknown arguments "
                        "${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "sffnn_add_model(${target}): MODEL is required")
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME "${target}")
  endif()
  if(NOT ARG_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "sffnn_add_model(${target}): NAME '${ARG_NAME}' is "
                        "not a C identifier")
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE
                         BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${model}")
    message(FATAL_ERROR "sffnn_add_model(${target}): no model '${model}'")
  endif()

  set(options --name "${ARG_NAME}")
  foreach(pair STRATEGY:strategy SEED:seed ITERATIONS:iterations
               FAST_MEMORY:fast-memory CODEGEN:codegen TARGET_CPU:target-cpu
               TARGET_TRIPLE:target-triple)
    string(REPLACE ":" ";" pair "${pair}")
    list(GET pair 0 key)
    list(GET pair 1 flag)
    if(DEFINED ARG_${key})
      list(APPEND options "--${flag}=${ARG_${key}}")
    endif()
  endforeach()

  set(dir "${CMAKE_CURRENT_BINARY_DIR}/sffnn-models/${target}")
  set(object "${dir}/${ARG_NAME}.o")
  set(header "${dir}/include/${ARG_NAME}.h")
  # The options as a file that changes only when they do: the object
  # depends on it, so that new options recompile the model with every
  # generator.
  set(stamp "${dir}/options.txt")
  file(CONFIGURE OUTPUT "${stamp}" CONTENT "${options}\n")
  add_custom_command(
    OUTPUT "${object}" "${header}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}/include"
    COMMAND SFFNN::sffnn-compile "${model}" ${options} -o "${object}"
            --header "${header}"
    DEPENDS "${model}" "${stamp}" "$<TARGET_FILE:SFFNN::sffnn-compile>"
    COMMENT "sffnn-compile ${ARG_MODEL} -> ${ARG_NAME}.o, ${ARG_NAME}.h"
    VERBATIM)
  set_source_files_properties("${object}" PROPERTIES
    EXTERNAL_OBJECT TRUE GENERATED TRUE)

  if(ARG_SHARED)
    add_library(${target} SHARED "${object}" "${header}")
  else()
    add_library(${target} STATIC "${object}" "${header}")
  endif()
  # The library has no sources of its own: link it with a language the
  # project enabled.
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if("C" IN_LIST languages)
    set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  else()
    set_target_properties(${target} PROPERTIES LINKER_LANGUAGE CXX)
  endif()
  target_include_directories(${target} PUBLIC "${dir}/include")
  target_link_libraries(${target} PUBLIC Threads::Threads m)
endfunction()
