# Debian amd64 against another release's libraries (scripts/package builds the Debian 13
# package on Debian 12 this way): this machine's compiler, a sysroot of that release's
# packages, its programs run under qemu-x86_64 with the sysroot's loader. See cross.cmake.
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(BEOWULF_DEB_ARCH amd64)
set(BEOWULF_TRIPLET x86_64-linux-gnu)
set(BEOWULF_QEMU_ARCH x86_64)
include(${CMAKE_CURRENT_LIST_DIR}/cross.cmake)
