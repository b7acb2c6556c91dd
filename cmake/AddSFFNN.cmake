#===- AddSFFNN.cmake - Helpers to declare sffnn libraries and tools -------===#
#
# add_sffnn_library(name srcs... [MLIR_LIBS libs...] [LINK_LIBS libs...])
#   A library of this project. MLIR_LIBS are linked through libMLIR.so
#   (mlir_target_link_libraries); LINK_LIBS are other sffnn libraries and
#   LLVM_LINK_COMPONENTS resolve to libLLVM.so. Every library is recorded in
#   the global property SFFNN_LIBS so tools can link "all of them".
#
#===-----------------------------------------------------------------------===#

function(add_sffnn_library name)
  cmake_parse_arguments(ARG "" "" "MLIR_LIBS;LINK_LIBS;DEPENDS" ${ARGN})
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS}
    DISABLE_INSTALL
    EXCLUDE_FROM_LIBMLIR
    PARTIAL_SOURCES_INTENDED
    DEPENDS ${ARG_DEPENDS}
    LINK_LIBS PUBLIC ${ARG_LINK_LIBS})
  if(ARG_MLIR_LIBS)
    mlir_target_link_libraries(${name} PUBLIC ${ARG_MLIR_LIBS})
  endif()
  set_property(GLOBAL APPEND PROPERTY SFFNN_LIBS ${name})
endfunction()

# add_sffnn_tool(name srcs... [LINK_LIBS libs...])
#   A tool of this project, installed in bin/ and finding the MLIR and LLVM
#   shared libraries where it was built against them.
function(add_sffnn_tool name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS" ${ARGN})
  add_llvm_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${name} PRIVATE ${ARG_LINK_LIBS})
  llvm_update_compile_flags(${name})
  set_target_properties(${name} PROPERTIES INSTALL_RPATH "${LLVM_LIBRARY_DIR}")
  install(TARGETS ${name} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endfunction()
