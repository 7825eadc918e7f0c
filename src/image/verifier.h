#pragma once
// Verifier: reads back what was written to a card or file, bypassing the page cache
// (O_DIRECT), and checks it against the checksums of the copy plan, or byte for byte
// against the image where the plan has none.

#include <string>

#include "core/result.h"
#include "image/copy_plan.h"
#include "image/image_source.h"
#include "image/progress.h"

namespace beowulf::image {

struct VerifyResult {
  uint64_t bytes_checked = 0;
  /// How the target was read: "with O_DIRECT", or why not and what was done instead.
  std::string read_back;
};

/// Checks `target` against `plan`, reading `source` where the plan has no checksum (and
/// to name the first differing byte when a checksum does not match). Fails with
/// "verify: TARGET differs from IMAGE at byte N" (or the range, when the image cannot
/// be read again) on the first difference.
Result<VerifyResult> verify_target(ImageSource& source, const CopyPlan& plan, const std::string& target,
                                   const ProgressFn& progress);

/// `image verify`: plans the copy of `image` and verifies `target` against it.
Result<VerifyResult> verify_image(const std::string& image, const std::string& target, const ProgressFn& progress);

}  // namespace beowulf::image
