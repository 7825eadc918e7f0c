# A cross build for Debian's BEOWULF_DEB_ARCH, included by toolchain-armhf.cmake and
# toolchain-arm64.cmake: Debian's cross compiler for BEOWULF_TRIPLET, a sysroot of the
# target's Debian packages (scripts/sysroot makes it), and qemu-user to run the target's
# programs, so that CTest runs the unit tests as they are.
#   cmake --preset armhf      (sysroot: $BEOWULF_SYSROOT or scripts/sysroot's default)
# The compiler is Debian 12's GCC 12 unless BEOWULF_GCC_VERSION (a variable or in the
# environment) names another: a Debian 13 sysroot needs Debian 13's GCC 14, whose C++
# runtime its libraries were built with (scripts/package --release trixie sets it).
set(CMAKE_SYSTEM_NAME Linux)
if(NOT BEOWULF_GCC_VERSION)
  if(DEFINED ENV{BEOWULF_GCC_VERSION})
    set(BEOWULF_GCC_VERSION "$ENV{BEOWULF_GCC_VERSION}")
  else()
    set(BEOWULF_GCC_VERSION 12)
  endif()
endif()
set(CMAKE_C_COMPILER ${BEOWULF_TRIPLET}-gcc-${BEOWULF_GCC_VERSION})
set(CMAKE_CXX_COMPILER ${BEOWULF_TRIPLET}-g++-${BEOWULF_GCC_VERSION})
set(CMAKE_LIBRARY_ARCHITECTURE ${BEOWULF_TRIPLET})

if(NOT BEOWULF_SYSROOT)
  if(DEFINED ENV{BEOWULF_SYSROOT})
    set(BEOWULF_SYSROOT "$ENV{BEOWULF_SYSROOT}")
  else()
    set(BEOWULF_SYSROOT "/var/cache/beowulf/sysroot/bookworm-${BEOWULF_DEB_ARCH}")
  endif()
endif()
if(NOT EXISTS "${BEOWULF_SYSROOT}/.beowulf-sysroot")
  message(FATAL_ERROR "no ${BEOWULF_DEB_ARCH} sysroot at ${BEOWULF_SYSROOT}: "
    "make it with `scripts/sysroot ${BEOWULF_DEB_ARCH}` (as root)")
endif()
# try_compile projects read this file again: hand them the sysroot too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES BEOWULF_SYSROOT BEOWULF_GCC_VERSION)
set(CMAKE_SYSROOT "${BEOWULF_SYSROOT}")

# Headers and libraries from the sysroot only; programs (pkg-config, qemu) from this machine.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${CMAKE_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
  "${CMAKE_SYSROOT}/usr/lib/${BEOWULF_TRIPLET}/pkgconfig:${CMAKE_SYSROOT}/usr/share/pkgconfig")

# Debian 12's qemu-user-static names it qemu-ARCH-static; Debian 13's qemu-user ships
# static programs under the plain name.
set(BEOWULF_QEMU /usr/bin/qemu-${BEOWULF_QEMU_ARCH}-static)
if(NOT EXISTS ${BEOWULF_QEMU})
  set(BEOWULF_QEMU /usr/bin/qemu-${BEOWULF_QEMU_ARCH})
endif()
# QEMU_LD_PREFIX stays in the test's environment, so that the target programs a test
# starts (beowulf, beowulf-cpi under mpiexec) run too, through binfmt_misc.
# UCX_TLS=^tcp: qemu-user has no process_vm_readv, so UCX (arm64's MPICH is ch4:ucx) loses
# CMA, its way to move a large message between ranks of one machine, and takes TCP for it;
# UCX 1.13's TCP transport then often hangs MPI_Finalize while it closes its connections
# (openucx/ucx#8738; natively too with UCX_TLS=tcp). Natively, ranks on one machine never
# use TCP; without it, shared memory carries everything under qemu too (docs/packages.md).
set(CMAKE_CROSSCOMPILING_EMULATOR
  /usr/bin/env QEMU_LD_PREFIX=${CMAKE_SYSROOT} UCX_TLS=^tcp ${BEOWULF_QEMU})
