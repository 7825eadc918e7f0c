# Debian arm64 (64-bit ARMv8: Raspberry Pi OS 64-bit, most newer boards). See cross.cmake.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(BEOWULF_DEB_ARCH arm64)
set(BEOWULF_TRIPLET aarch64-linux-gnu)
set(BEOWULF_QEMU_ARCH aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/cross.cmake)
