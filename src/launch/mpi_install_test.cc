#include "launch/mpi_install.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace beowulf::launch {
namespace {

constexpr const char* kHydraVersion = R"(HYDRA build details:
    Version:                                 4.0.2
    Release Date:                            Thu Apr  7 12:34:45 CDT 2022
    CC:                              gcc -Wdate-time
)";
constexpr const char* kOpenMpiVersion = "mpiexec.openmpi (OpenRTE) 4.1.4\n\nReport bugs to http://www.open-mpi.org/community/help/\n";

TEST(MpiInstall, ReadsHydrasVersion) {
  auto found = parse_mpiexec_version(kHydraVersion);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->kind, MpiKind::mpich);
  EXPECT_EQ(found->version, "4.0.2");
}

TEST(MpiInstall, ReadsOpenMpisVersion) {
  auto found = parse_mpiexec_version(kOpenMpiVersion);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->kind, MpiKind::openmpi);
  EXPECT_EQ(found->version, "4.1.4");
}

TEST(MpiInstall, UnknownLauncherIsNotGuessed) {
  EXPECT_FALSE(parse_mpiexec_version("Intel(R) MPI Library for Linux* OS, Version 2021.1"));
}

TEST(MpiInstall, ReadsCompileLines) {
  EXPECT_EQ(parse_mpicc_show("gcc -I/usr/include/x86_64-linux-gnu/mpich -L/usr/lib/x86_64-linux-gnu -lmpich"),
            MpiKind::mpich);
  EXPECT_EQ(parse_mpicc_show("gcc -I/usr/lib/x86_64-linux-gnu/openmpi/include -L/usr/lib/x86_64-linux-gnu/openmpi/lib -lmpi"),
            MpiKind::openmpi);
  EXPECT_FALSE(parse_mpicc_show("gcc"));
}

TEST(MpiInstall, ReadsWhatAProgramLinks) {
  EXPECT_EQ(parse_ldd("\tlibmpich.so.12 => /lib/x86_64-linux-gnu/libmpich.so.12 (0x00007f)"), MpiKind::mpich);
  EXPECT_EQ(parse_ldd("\tlibmpi.so.40 => /lib/x86_64-linux-gnu/libmpi.so.40 (0x00007f)"), MpiKind::openmpi);
  EXPECT_FALSE(parse_ldd("\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6"));
}

TEST(MpiInstall, RefusesAnUnknownKind) {
  auto r = parse_mpi_kind("intel");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "--mpi: 'intel' is not an MPI implementation beowulf knows");
  EXPECT_EQ(r.error().hint, "use --mpi mpich or --mpi openmpi");
}

TEST(MpiInstall, DetectsEachInstalledImplementationByName) {
  auto mpich = detect_mpi(MpiKind::mpich);
  ASSERT_TRUE(mpich.ok()) << mpich.error().message();
  EXPECT_EQ(mpich->mpiexec, "/usr/bin/mpiexec.mpich");
  auto openmpi = detect_mpi(MpiKind::openmpi);
  ASSERT_TRUE(openmpi.ok()) << openmpi.error().message();
  EXPECT_EQ(openmpi->kind, MpiKind::openmpi);
}

/// A PATH whose mpicc and mpiexec are the real ones of two different implementations.
class MixedPath : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("beowulf-mixed-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    std::filesystem::create_symlink("/usr/bin/mpicc.mpich", dir_ / "mpicc");
    std::filesystem::create_symlink("/usr/bin/mpiexec.openmpi", dir_ / "mpiexec");
    old_path_ = std::getenv("PATH");
    setenv("PATH", (dir_.string() + ":" + old_path_).c_str(), 1);
  }
  void TearDown() override {
    setenv("PATH", old_path_.c_str(), 1);
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::string old_path_;
};

TEST_F(MixedPath, RefusesMpiccAndMpiexecOfDifferentImplementations) {
  auto r = detect_mpi(std::nullopt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "mpicc is MPICH but mpiexec is Open MPI: programs built with one cannot be launched by the other");
  EXPECT_EQ(r.error().hint,
            "pass --mpi mpich, or make mpich the default: sudo update-alternatives --set mpi /usr/bin/mpicc.mpich && "
            "sudo update-alternatives --set mpirun /usr/bin/mpirun.mpich");
}

TEST(MpiInstall, RefusesToLaunchAnMpichProgramWithOpenMpi) {
#ifdef BEOWULF_TESTS_EMULATED_BY
  GTEST_SKIP() << "under " BEOWULF_TESTS_EMULATED_BY ": this machine's ldd finds \"not a dynamic executable\" "
                  "in a program of another architecture";
#endif
  std::string cpi = std::string(BEOWULF_BINARY_DIR) + "/examples/beowulf-cpi";
  auto openmpi = detect_mpi(MpiKind::openmpi);
  ASSERT_TRUE(openmpi.ok());
  auto refused = check_program_links(cpi, *openmpi);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message(), cpi + " is built with MPICH but would be launched by Open MPI");
  EXPECT_EQ(refused.error().hint, "pass --mpi mpich");
  EXPECT_TRUE(check_program_links(cpi, *detect_mpi(MpiKind::mpich)).ok());
}

}  // namespace
}  // namespace beowulf::launch
