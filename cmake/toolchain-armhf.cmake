# Debian armhf (32-bit ARMv7, hard float: Parallella, Raspberry Pi OS 32-bit). See cross.cmake.
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(BEOWULF_DEB_ARCH armhf)
set(BEOWULF_TRIPLET arm-linux-gnueabihf)
set(BEOWULF_QEMU_ARCH arm)
include(${CMAKE_CURRENT_LIST_DIR}/cross.cmake)
# GCC's note that the ABI for passing some structs changed in GCC 7.1 (2017) concerns only
# code linked with objects built before it; Debian's whole armhf archive is newer.
set(CMAKE_CXX_FLAGS_INIT "-Wno-psabi")
