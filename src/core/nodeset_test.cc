#include "core/nodeset.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace beowulf {
namespace {

using ::testing::ElementsAre;

NodeSet set(std::string_view text) {
  auto parsed = NodeSet::parse(text);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message();
  return parsed.ok() ? *parsed : NodeSet{};
}

std::vector<std::string> expand(std::string_view text) { return set(text).expand(); }
std::string fold(std::string_view text) { return set(text).fold(); }

std::string error_of(std::string_view text) {
  auto parsed = NodeSet::parse(text);
  if (parsed.ok()) return "parsed: " + parsed->fold();
  EXPECT_EQ(parsed.error().kind, ErrorKind::bad_input);
  return parsed.error().message();
}

// ---- expand -------------------------------------------------------------------------

TEST(NodeSetExpand, RangesAndSingleNumbersInBrackets) {
  EXPECT_THAT(expand("worker[001-004,007]"),
              ElementsAre("worker001", "worker002", "worker003", "worker004", "worker007"));
}

TEST(NodeSetExpand, PlainListsInNaturalOrder) {
  EXPECT_THAT(expand("c,b,a"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(expand("node10,node9,node1"), ElementsAre("node1", "node9", "node10"));
}

TEST(NodeSetExpand, KeepsZeroPaddingAcrossAPowerOfTen) {
  EXPECT_THAT(expand("worker[008-010]"), ElementsAre("worker008", "worker009", "worker010"));
  EXPECT_THAT(expand("worker[098-100]"), ElementsAre("worker098", "worker099", "worker100"));
}

TEST(NodeSetExpand, UnpaddedRangesGrowTheirDigits) {
  EXPECT_THAT(expand("node[9-10]"), ElementsAre("node9", "node10"));
  EXPECT_THAT(expand("node[09-10]"), ElementsAre("node09", "node10"));
}

TEST(NodeSetExpand, MixedPaddingNamesAreDifferentNodesOrderedShorterFirst) {
  // As in ClusterShell 1.9: node9 and node09 are two names; a run of digits sorts by
  // its length, then digit by digit.
  EXPECT_THAT(expand("node010,node10,node09,node9"), ElementsAre("node9", "node09", "node10", "node010"));
}

TEST(NodeSetExpand, AnIPv4AddressWithARangeInAnOctet) {
  EXPECT_THAT(expand("198.18.0.[11-13]"), ElementsAre("198.18.0.11", "198.18.0.12", "198.18.0.13"));
  EXPECT_THAT(expand("198.18.[0-1].1"), ElementsAre("198.18.0.1", "198.18.1.1"));
}

TEST(NodeSetExpand, Steps) {
  EXPECT_THAT(expand("n[1-9/4]"), ElementsAre("n1", "n5", "n9"));
  EXPECT_THAT(expand("n[001-010/3]"), ElementsAre("n001", "n004", "n007", "n010"));
  EXPECT_THAT(expand("n[1-10/4]"), ElementsAre("n1", "n5", "n9"));
}

TEST(NodeSetExpand, SeveralBracketsMakeAProduct) {
  EXPECT_THAT(expand("rack[1-2]node[1-2]"), ElementsAre("rack1node1", "rack1node2", "rack2node1", "rack2node2"));
}

TEST(NodeSetExpand, CommasAndWhitespaceSeparateNames) {
  EXPECT_THAT(expand("  worker1 worker2\tworker3 , worker4,worker5  "),
              ElementsAre("worker1", "worker2", "worker3", "worker4", "worker5"));
}

TEST(NodeSetExpand, BlankTextIsTheEmptySet) {
  EXPECT_TRUE(set("").empty());
  EXPECT_TRUE(set("  \t ").empty());
  EXPECT_EQ(set("").fold(), "");
}

TEST(NodeSetExpand, DuplicatesCountOnce) {
  NodeSet nodes = set("a,a,n[1-3],n2,n[2-3]");
  EXPECT_EQ(nodes.count(), 4u);
  EXPECT_THAT(nodes.expand(), ElementsAre("a", "n1", "n2", "n3"));
}

TEST(NodeSetExpand, NamesKeepDashesDotsAndUnderscores) {
  EXPECT_THAT(expand("my-node_[1-2].lan"), ElementsAre("my-node_1.lan", "my-node_2.lan"));
}

TEST(NodeSetExpand, AsManyNamesAsTheLimitAllows) {
  NodeSet nodes = set("n[1-1000000]");
  EXPECT_EQ(nodes.count(), NodeSet::max_names);
  EXPECT_EQ(nodes.fold(), "n[1-1000000]");
}

// ---- fold ---------------------------------------------------------------------------

TEST(NodeSetFold, ConsecutiveNumbersBecomeRanges) {
  EXPECT_EQ(fold("worker001,worker002,worker003"), "worker[001-003]");
  EXPECT_EQ(fold("worker001,worker002,worker003,worker005"), "worker[001-003,005]");
}

TEST(NodeSetFold, IPv4AddressesFoldOnTheirOctets) {
  EXPECT_EQ(fold("198.18.0.11,198.18.0.12"), "198.18.0.[11-12]");
  EXPECT_EQ(fold("198.18.0.11,198.18.0.12,198.18.1.11,198.18.1.12"), "198.18.[0-1].[11-12]");
}

TEST(NodeSetFold, PaddingDecidesWhatJoinsARange) {
  EXPECT_EQ(fold("node9,node10"), "node[9-10]");
  EXPECT_EQ(fold("node09,node10"), "node[09-10]");
  EXPECT_EQ(fold("node098,node099,node100"), "node[098-100]");
  EXPECT_EQ(fold("node99,node100"), "node[99-100]");
  EXPECT_EQ(fold("node099,node100,node101"), "node[099-101]");
  EXPECT_EQ(fold("node9,node09,node10"), "node[9,09-10]");
  EXPECT_EQ(fold("node99,node0100"), "node[99,0100]");
}

TEST(NodeSetFold, ProductsFoldOnEveryAxis) {
  EXPECT_EQ(fold("rack1node1,rack1node2,rack2node1,rack2node2"), "rack[1-2]node[1-2]");
  EXPECT_EQ(fold("a1b1,a1b2,a2b1"), "a1b[1-2],a2b1");
}

TEST(NodeSetFold, TermsComeInNaturalOrderOfTheirFirstName) {
  EXPECT_EQ(fold("worker2,master,worker1,b1,a2,a1"), "a[1-2],b1,master,worker[1-2]");
}

TEST(NodeSetFold, SingleNamesStayPlain) {
  EXPECT_EQ(fold("worker7"), "worker7");
  EXPECT_EQ(fold("master"), "master");
  EXPECT_EQ(fold("n[1-9/4]"), "n[1,5,9]");
}

TEST(NodeSetFold, DigitRunsTooLongForBracketsStayText) {
  EXPECT_EQ(fold("n1234567890123456789,n1234567890123456788"), "n1234567890123456788,n1234567890123456789");
  EXPECT_EQ(fold("n123456789012345678,n123456789012345679"), "n[123456789012345678-123456789012345679]");
}

TEST(NodeSetFold, ParsesBackToTheSameSet) {
  for (const char* text : {"worker[001-004,007]", "node9,node09,node10,node010,node0100", "198.18.[0-3].[1-254]",
                           "rack[1-3]node[01-16],master,rack4node7", "a1b1,a1b2,a2b1,x,y[1-3]z",
                           "n[1-100/7],n[2-50/3]", "1,2,3,10,x10y20z30"}) {
    NodeSet nodes = set(text);
    auto again = NodeSet::parse(nodes.fold());
    ASSERT_TRUE(again.ok()) << text << " -> " << nodes.fold() << ": " << again.error().message();
    EXPECT_EQ(*again, nodes) << text << " -> " << nodes.fold();
  }
}

// ---- set operations -----------------------------------------------------------------

TEST(NodeSetOperations, UnionAndDifference) {
  EXPECT_EQ((set("worker[1-3]") | set("worker[3-5],master")).fold(), "master,worker[1-5]");
  EXPECT_EQ((set("worker[1-10]") - set("worker[4-6],absent")).fold(), "worker[1-3,7-10]");
  EXPECT_TRUE((set("a,b") - set("a,b")).empty());
}

TEST(NodeSetOperations, CountAndContains) {
  NodeSet nodes = set("worker[001-004,007]");
  EXPECT_EQ(nodes.count(), 5u);
  EXPECT_TRUE(nodes.contains("worker007"));
  EXPECT_FALSE(nodes.contains("worker005"));
  EXPECT_FALSE(nodes.contains("worker07"));
  EXPECT_FALSE(nodes.contains("worker7"));
}

TEST(NodeSetOperations, EqualityIsOnTheNames) {
  EXPECT_EQ(set("n[1-3]"), set("n3,n2,n1"));
  EXPECT_NE(set("n[1-3]"), set("n[01-03]"));
}

TEST(NaturalLess, DigitRunsCompareAsNumbersShorterFirst) {
  EXPECT_TRUE(natural_less("worker9", "worker10"));
  EXPECT_FALSE(natural_less("worker10", "worker9"));
  EXPECT_TRUE(natural_less("node9", "node09"));
  EXPECT_TRUE(natural_less("node99", "node030"));
  EXPECT_TRUE(natural_less("a", "a1"));
  EXPECT_TRUE(natural_less("a1", "ab"));
  EXPECT_FALSE(natural_less("x1", "x1"));
}

// ---- errors: the exact text a user sees ---------------------------------------------

TEST(NodeSetErrors, RangeGoesBackwards) {
  EXPECT_EQ(error_of("worker[3-1]"), "nodeset: 'worker[3-1]': range goes backwards at column 8");
  EXPECT_EQ(error_of("worker[1,10-09]"), "nodeset: 'worker[1,10-09]': range goes backwards at column 10");
}

TEST(NodeSetErrors, UnbalancedBrackets) {
  EXPECT_EQ(error_of("worker[1-3"), "nodeset: 'worker[1-3': '[' without ']' at column 7");
  EXPECT_EQ(error_of("worker[1-3,b"), "nodeset: 'worker[1-3,b': '[' without ']' at column 7");
  EXPECT_EQ(error_of("worker1-3]"), "nodeset: 'worker1-3]': ']' without '[' at column 10");
  EXPECT_EQ(error_of("worker[1[2]]"), "nodeset: 'worker[1[2]]': '[' inside brackets at column 9");
}

TEST(NodeSetErrors, EmptyRange) {
  EXPECT_EQ(error_of("worker[]"), "nodeset: 'worker[]': empty range at column 8");
  EXPECT_EQ(error_of("worker[1,]"), "nodeset: 'worker[1,]': empty range at column 10");
  EXPECT_EQ(error_of("worker[1,,2]"), "nodeset: 'worker[1,,2]': empty range at column 10");
}

TEST(NodeSetErrors, NotANumber) {
  EXPECT_EQ(error_of("worker[a-3]"), "nodeset: 'worker[a-3]': expected a number, found 'a' at column 8");
  EXPECT_EQ(error_of("worker[1-x]"), "nodeset: 'worker[1-x]': expected a number, found 'x' at column 10");
  EXPECT_EQ(error_of("worker[1-]"), "nodeset: 'worker[1-]': expected a number, found ']' at column 10");
  EXPECT_EQ(error_of("worker[ 1]"), "nodeset: 'worker[ 1]': expected a number, found ' ' at column 8");
  EXPECT_EQ(error_of("worker[1-3-5]"), "nodeset: 'worker[1-3-5]': expected ',' or ']', found '-' at column 11");
  EXPECT_EQ(error_of("worker[1..3]"), "nodeset: 'worker[1..3]': expected ',' or ']', found '.' at column 9");
}

TEST(NodeSetErrors, BadStep) {
  EXPECT_EQ(error_of("worker[1-9/0]"), "nodeset: 'worker[1-9/0]': step must be at least 1 at column 12");
  EXPECT_EQ(error_of("worker[1-9/x]"), "nodeset: 'worker[1-9/x]': expected a number, found 'x' at column 12");
  EXPECT_EQ(error_of("worker[1-9/]"), "nodeset: 'worker[1-9/]': expected a number, found ']' at column 12");
  EXPECT_EQ(error_of("worker[3/2]"), "nodeset: 'worker[3/2]': a step needs a range, like 1-9/2 at column 9");
}

TEST(NodeSetErrors, TooManyNames) {
  EXPECT_EQ(error_of("worker[1-2000000]"), "nodeset: 'worker[1-2000000]': more than 1000000 names at column 8");
  EXPECT_EQ(error_of("n[1-999999999999999999]"),
            "nodeset: 'n[1-999999999999999999]': more than 1000000 names at column 3");
  // A product, and several terms, count together.
  EXPECT_EQ(error_of("a[1-1000]b[1-1001]"), "nodeset: 'a[1-1000]b[1-1001]': more than 1000000 names at column 12");
  EXPECT_EQ(error_of("a[1-600000],b[1-600000]"),
            "nodeset: 'a[1-600000],b[1-600000]': more than 1000000 names at column 15");
  EXPECT_EQ(error_of("n[1-1000000],extra"), "nodeset: 'n[1-1000000],extra': more than 1000000 names at column 14");
}

TEST(NodeSetErrors, TooManyBytesOfNames) {
  // A 5,000-character prefix with [1-999999] made 2.6 GB before it was counted.
  std::string prefix(5000, 'a');
  std::string text = prefix + "[1-999999]";
  EXPECT_EQ(error_of(text), "nodeset: '" + text + "': more than 16 MiB of names at column 1");
  std::string after = "n[1-999999]" + prefix;  // the text after the brackets counts too
  EXPECT_EQ(error_of(after), "nodeset: '" + after + "': more than 16 MiB of names at column 1");
  EXPECT_EQ(NodeSet::parse(std::string(1000, 'a') + "[1-999]").value().count(), 999u);  // 1 MB is fine
}

TEST(NodeSetFold, ANameWithManyDigitRunsFoldsInLinearTime) {
  // Each digit run was an axis merged over every other: 20,000 runs took minutes.
  std::string a, b;
  for (int i = 0; i < 20000; ++i) a += "x1";
  b = a;
  a += "y1";
  b += "y2";
  auto start = std::chrono::steady_clock::now();
  auto set = NodeSet::parse(a + "," + b).value();
  EXPECT_EQ(set.fold(), a.substr(0, a.size() - 1) + "[1-2]");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // Names that differ before their last 8 runs still fold to text that parses back to them.
  auto early = NodeSet::parse("r1a1b1c1d1e1f1g1h1i1,r2a1b1c1d1e1f1g1h1i1").value();
  EXPECT_EQ(NodeSet::parse(early.fold()).value(), early);
}

TEST(NodeSetErrors, ACallerMayChooseASmallerLimit) {
  auto parsed = NodeSet::parse("worker[1-65],master", 64);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message(), "nodeset: 'worker[1-65],master': more than 64 names at column 8");
  EXPECT_EQ(NodeSet::parse("worker[1-63],master", 64)->count(), 64u);
  auto capped = NodeSet::parse("n[1-1000001]", 5'000'000);  // never above max_names
  ASSERT_FALSE(capped.ok());
  EXPECT_EQ(capped.error().message(), "nodeset: 'n[1-1000001]': more than 1000000 names at column 3");
}

TEST(NodeSetErrors, PaddingDiffersBetweenBounds) {
  EXPECT_EQ(error_of("node[08-010]"), "nodeset: 'node[08-010]': padding differs between 08 and 010 at column 6");
  EXPECT_EQ(error_of("node[8-010]"), "nodeset: 'node[8-010]': padding differs between 8 and 010 at column 6");
}

TEST(NodeSetErrors, NumberTooLong) {
  EXPECT_EQ(error_of("n[1234567890123456789]"),
            "nodeset: 'n[1234567890123456789]': number longer than 18 digits at column 3");
}

TEST(NodeSetErrors, CharacterNotAllowedInAName) {
  EXPECT_EQ(error_of("worker@1"), "nodeset: 'worker@1': '@' cannot be in a node name at column 7");
  EXPECT_EQ(error_of("a\x01"), "nodeset: 'a\x01': byte 0x01 cannot be in a node name at column 2");
}

TEST(NodeSetErrors, EmptyName) {
  EXPECT_EQ(error_of("a,,b"), "nodeset: 'a,,b': empty name at column 3");
  EXPECT_EQ(error_of("a,"), "nodeset: 'a,': empty name at column 2");
  EXPECT_EQ(error_of(",a"), "nodeset: ',a': empty name at column 1");
  EXPECT_EQ(error_of("a , "), "nodeset: 'a , ': empty name at column 3");
}

}  // namespace
}  // namespace beowulf
