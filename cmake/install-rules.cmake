include(CMakePackageConfigHelpers)

install(DIRECTORY include/aftermath DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS aftermath EXPORT aftermathTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(aftermath_mpi_found)
  set_target_properties(aftermath_mpi PROPERTIES EXPORT_NAME mpi)
  install(TARGETS aftermath_mpi EXPORT aftermathTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()
if(AFTERMATH_BUILD_C_API)
  install(TARGETS aftermath_c EXPORT aftermathTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${PROJECT_BINARY_DIR}/aftermath-c.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
if(AFTERMATH_BUILD_CLI)
  install(TARGETS aftermath_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  if(aftermath_mpi_found)
    install(TARGETS aftermath_mpi_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endif()

set(AFTERMATH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/aftermath)
install(EXPORT aftermathTargets NAMESPACE aftermath:: DESTINATION ${AFTERMATH_CMAKE_DIR})
configure_package_config_file(cmake/aftermathConfig.cmake.in
  ${PROJECT_BINARY_DIR}/aftermathConfig.cmake
  INSTALL_DESTINATION ${AFTERMATH_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/aftermathConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/aftermathConfig.cmake
              ${PROJECT_BINARY_DIR}/aftermathConfigVersion.cmake
        DESTINATION ${AFTERMATH_CMAKE_DIR})
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The documents' JSON Schemas, for validators that read files (docs/schemas.md).
install(DIRECTORY schemas/ DESTINATION ${CMAKE_INSTALL_DATADIR}/aftermath/schemas FILES_MATCHING PATTERN "*.schema.json")
