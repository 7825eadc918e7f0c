#include "sys/interrupt.h"

#include <poll.h>
#include <signal.h>

#include <gtest/gtest.h>

namespace beowulf::sys {
namespace {

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

TEST(Interrupt, CtrlCMakesTheDescriptorReadableInsteadOfKilling) {
  Interrupt interrupt;
  EXPECT_FALSE(interrupt.happened());
  EXPECT_FALSE(readable(interrupt.fd()));
  ::raise(SIGINT);
  EXPECT_TRUE(interrupt.happened());
  EXPECT_TRUE(readable(interrupt.fd()));
}

TEST(Interrupt, RestoresThePreviousHandler) {
  struct sigaction before {};
  sigaction(SIGINT, nullptr, &before);
  { Interrupt interrupt; }
  struct sigaction after {};
  sigaction(SIGINT, nullptr, &after);
  EXPECT_EQ(before.sa_handler, after.sa_handler);
}

}  // namespace
}  // namespace beowulf::sys
