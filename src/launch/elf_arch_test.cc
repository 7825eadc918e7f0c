#include "launch/elf_arch.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace beowulf::launch {
namespace {

/// An ELF header: class (1: 32-bit, 2: 64-bit), little-endian, machine and flags.
std::string elf_header(int elf_class, std::uint16_t machine, std::uint32_t flags) {
  std::string h(64, '\0');
  h.replace(0, 4, "\x7f" "ELF");
  h[4] = static_cast<char>(elf_class);
  h[5] = 1;
  h[18] = static_cast<char>(machine & 0xff);
  h[19] = static_cast<char>(machine >> 8);
  std::size_t at = elf_class == 2 ? 48 : 36;
  for (int i = 0; i < 4; ++i) h[at + i] = static_cast<char>((flags >> (8 * i)) & 0xff);
  return h;
}

TEST(ElfArch, NamesTheDebianArchitectureOfCommonBoards) {
  EXPECT_EQ(elf_debian_arch(elf_header(2, 62, 0)), "amd64");
  EXPECT_EQ(elf_debian_arch(elf_header(1, 3, 0)), "i386");
  EXPECT_EQ(elf_debian_arch(elf_header(2, 183, 0)), "arm64");
  EXPECT_EQ(elf_debian_arch(elf_header(1, 40, 0x05000400)), "armhf");
  EXPECT_EQ(elf_debian_arch(elf_header(1, 40, 0x05000200)), "armel");
  EXPECT_EQ(elf_debian_arch(elf_header(2, 243, 0x5)), "riscv64");
}

TEST(ElfArch, AScriptOrAnUnknownMachineIsNotJudged) {
  EXPECT_EQ(elf_debian_arch("#!/usr/bin/env python3\nprint('hello')\n" + std::string(40, ' ')), std::nullopt);
  EXPECT_EQ(elf_debian_arch("\x7f" "ELF"), std::nullopt);
  EXPECT_EQ(elf_debian_arch(elf_header(1, 40, 0x05000000)), std::nullopt);
  EXPECT_EQ(elf_debian_arch(elf_header(2, 9999, 0)), std::nullopt);
}

TEST(ElfArch, ReadsAProgramOnDisk) {
  auto arch = program_arch("/bin/true");
  ASSERT_TRUE(arch);
#if defined(__x86_64__)
  EXPECT_EQ(*arch, "amd64");
#endif
  EXPECT_EQ(program_arch("/no/such/program"), std::nullopt);
}

std::vector<Node> cluster(const char* worker2_arch) {
  Node master{"linaro-nano", parse_ipv4("198.18.0.10").value(), "linaro", 1, Role::master};
  master.arch = "amd64";
  Node w1{"worker001", parse_ipv4("198.18.0.11").value(), "linaro", 1, Role::worker};  // arch unknown
  Node w2{"worker002", parse_ipv4("198.18.0.12").value(), "linaro", 1, Role::worker};
  w2.arch = worker2_arch;
  return {master, w1, w2};
}

TEST(ElfArch, RefusesANodeOfAnotherArchitectureSayingHowToGoOn) {
  EXPECT_TRUE(check_arch(cluster("amd64"), "ring_c", "amd64").ok());
  auto refused = check_arch(cluster("armhf"), "ring_c", "amd64");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(refused.error().message(), "worker002 (198.18.0.12): ring_c is built for amd64 but the node is armhf");
  EXPECT_EQ(refused.error().hint, "build it for armhf (e.g. on that node), or leave the node out: -x worker002");
}

}  // namespace
}  // namespace beowulf::launch
