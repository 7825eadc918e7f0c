# What `cmake --install` puts where, by component (scripts/package makes one Debian
# package of each):
#   beowulf   the command, its SSH_ASKPASS helper (found beside it) and the examples
#   taskfarm  the header-only task farm and its CMake package (src/taskfarm/CMakeLists.txt)
include(GNUInstallDirs)
install(TARGETS beowulf beowulf-askpass beowulf-cpi beowulf-cpi-farm beowulf-primes beowulf-mandelbrot
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT beowulf)
