#include "core/machine_file.h"

#include <gtest/gtest.h>

namespace beowulf {
namespace {

Inventory cluster() {
  Inventory inventory;
  // Workers first and the master last, to see that the master still comes first.
  for (auto [name, address, slots] : {std::tuple{"worker001", "192.168.1.124", 2}, {"worker002", "192.168.1.125", 2}})
    EXPECT_TRUE(inventory.put(Node{name, parse_ipv4(address).value(), "linaro", slots, Role::worker, "", ""}));
  EXPECT_TRUE(inventory.put(Node{"linaro-nano", parse_ipv4("192.168.1.123").value(), "linaro", 1, Role::master, "", ""}));
  return inventory;
}

std::vector<MachineEntry> parse(std::string_view text, MachineFileFormat format) {
  return parse_machine_file(text, format, "machine_file").value();
}

std::string refusal(std::string_view text, MachineFileFormat format = MachineFileFormat::mpich) {
  auto entries = parse_machine_file(text, format, "machine_file");
  if (entries) return "parsed";
  EXPECT_EQ(entries.error().kind, ErrorKind::bad_input);
  return entries.error().what;
}

TEST(MachineFile, WritesMpichWithTheMasterFirst) {
  EXPECT_EQ(write_machine_file(machine_entries(cluster()), MachineFileFormat::mpich),
            "# MPICH machine file written by beowulf: 'beowulf machinefile --format mpich' prints it.\n"
            "192.168.1.123:1\n192.168.1.124:2\n192.168.1.125:2\n");
}

TEST(MachineFile, WritesOpenMpiByName) {
  EXPECT_EQ(write_machine_file(machine_entries(cluster(), HostBy::name), MachineFileFormat::openmpi),
            "# Open MPI machine file written by beowulf: 'beowulf machinefile --format openmpi' prints it.\n"
            "linaro-nano slots=1\nworker001 slots=2\nworker002 slots=2\n");
  EXPECT_EQ(write_machine_file({{"a", 2, 4}, {"b", 0, 0}}, MachineFileFormat::openmpi),
            "# Open MPI machine file written by beowulf: 'beowulf machinefile --format openmpi' prints it.\n"
            "a slots=2 max_slots=4\nb\n");
}

TEST(MachineFile, AnEmptyInventoryGivesOnlyTheHeader) {
  EXPECT_TRUE(machine_entries(Inventory{}).empty());
}

TEST(MachineFile, ReadsBackWhatItWrites) {
  auto entries = machine_entries(cluster());
  for (auto format : {MachineFileFormat::mpich, MachineFileFormat::openmpi})
    EXPECT_EQ(parse(write_machine_file(entries, format), format), entries) << format_name(format);
}

TEST(MachineFile, ParsesTheRecipesHandWrittenFile) {
  auto entries = parse("192.168.1.123\n192.168.1.124\n", MachineFileFormat::mpich);
  EXPECT_EQ(entries, (std::vector<MachineEntry>{{"192.168.1.123", 0, 0}, {"192.168.1.124", 0, 0}}));
}

TEST(MachineFile, ParsesCommentsBlankLinesAndSpaces) {
  auto entries = parse("# the master\n  192.168.1.123:2   # two cores\n\n\tworker001\r\nnode1.lab:4\n", MachineFileFormat::mpich);
  EXPECT_EQ(entries, (std::vector<MachineEntry>{{"192.168.1.123", 2, 0}, {"worker001", 0, 0}, {"node1.lab", 4, 0}}));
  entries = parse("worker001 slots=2 max_slots=4 # comment\nworker002   max_slots=2\nworker003", MachineFileFormat::openmpi);
  EXPECT_EQ(entries, (std::vector<MachineEntry>{{"worker001", 2, 4}, {"worker002", 0, 2}, {"worker003", 0, 0}}));
}

TEST(MachineFile, ReportsEveryBadLineWithItsNumberAndReason) {
  EXPECT_EQ(refusal("192.168.1.123\n192.168.1.255\nworker001:0\n192.168.1.300\nworker 2\nworker_3\n127.0.0.1\n"),
            "machine_file:2: 192.168.1.255 is the broadcast address of 192.168.1.0/24: no host can use it\n"
            "machine_file:3: 'worker001:0': slot count '0' is not a number from 1 to 4096\n"
            "machine_file:4: '192.168.1.300' is not an IPv4 address\n"
            "machine_file:5: 'worker 2': expected 'host' or 'host:slots'\n"
            "machine_file:6: 'worker_3' is neither an IPv4 address nor a host name\n"
            "machine_file:7: 127.0.0.1 is a loopback address (127.0.0.0/8): other nodes cannot reach it");
  EXPECT_EQ(parse_machine_file("a:x", MachineFileFormat::mpich, "f").error().hint,
            "each line is 'host' or 'host:slots'; '#' starts a comment");
}

TEST(MachineFile, ReportsBadSlotCounts) {
  EXPECT_EQ(refusal("worker001:\nworker002:-1\nworker003:2:eth0\nworker004:99999\n"),
            "machine_file:1: 'worker001:': slot count '' is not a number from 1 to 4096\n"
            "machine_file:2: 'worker002:-1': slot count '-1' is not a number from 1 to 4096\n"
            "machine_file:3: 'worker003:2:eth0': slot count '2:eth0' is not a number from 1 to 4096\n"
            "machine_file:4: 'worker004:99999': slot count '99999' is not a number from 1 to 4096");
}

TEST(MachineFile, NamesTheOtherFormatWhenItIsUsed) {
  EXPECT_EQ(refusal("worker001 slots=2\n"),
            "machine_file:1: 'worker001 slots=2': expected 'host' or 'host:slots' (this is Open MPI's form; MPICH's is "
            "'host:slots')");
  EXPECT_EQ(refusal("worker001:2\n", MachineFileFormat::openmpi),
            "machine_file:1: 'worker001:2': expected 'host slots=N' (this is MPICH's form; Open MPI's is 'host slots=N')");
}

TEST(MachineFile, ReportsBadOpenMpiOptions) {
  EXPECT_EQ(refusal("worker001 slot=2\nworker002 slots=0\nworker003 slots=4 max_slots=2\nworker004 cpus\n",
                    MachineFileFormat::openmpi),
            "machine_file:1: 'worker001 slot=2': 'slot=2' is not 'slots=N' or 'max_slots=N' (did you mean 'slots'?)\n"
            "machine_file:2: 'worker002 slots=0': slots '0' is not a number from 1 to 4096\n"
            "machine_file:3: 'worker003 slots=4 max_slots=2': slots 4 is more than max_slots 2\n"
            "machine_file:4: 'worker004 cpus': 'cpus' is not 'slots=N' or 'max_slots=N'");
}

}  // namespace
}  // namespace beowulf
