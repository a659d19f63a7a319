// Trading feed batches through the parser the feed service uses (domain/feed.hpp), and its ordering rules.
//
// Properties:
//  - a body is either refused whole (domain::Error, malformed or invalid, nothing else) or parsed;
//  - every message of a parsed batch is either a message or a rejection, by its index, exactly once;
//  - a parsed message has a provider event id of 1 to 100 printable characters, and odds within our range;
//  - by_event keeps every message, groups each event's messages once, in non-decreasing sequence;
//  - parsing is deterministic.
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string_view>

#include "domain/error.hpp"
#include "domain/feed.hpp"

namespace {

using namespace b2w;
using namespace b2w::domain::feed;

constexpr std::size_t kMaxMessages = 64;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

void check_odds(const Message& m) {
  if (const auto* change = std::get_if<OddsChange>(&m.body))
    for (const auto& market : change->markets)
      for (const auto& o : market.outcomes)
        if (o.odds && (*o.odds < domain::kMinOdds || *o.odds > domain::kMaxOdds)) fail("odds out of range");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  Batch batch;
  try {
    batch = parse_batch(body, kMaxMessages);
  } catch (const domain::Error& e) {
    if (e.kind() != domain::ErrorKind::malformed && e.kind() != domain::ErrorKind::invalid) fail("unexpected kind");
    return 0;
  }
  const auto again = parse_batch(body, kMaxMessages);
  if (again.messages.size() != batch.messages.size() || again.rejected.size() != batch.rejected.size())
    fail("parsing is not deterministic");
  std::set<std::size_t> seen;
  for (const auto& m : batch.messages) {
    if (!seen.insert(m.index).second) fail("an index twice");
    if (m.event_id.empty() || m.event_id.size() > kMaxIdLength) fail("event id length");
    for (const char c : m.event_id)
      if (c < 0x21 || c > 0x7e) fail("event id not printable");
    if (m.sequence < 0 || m.timestamp < 0) fail("negative sequence or timestamp");
    check_odds(m);
  }
  for (const auto& r : batch.rejected) {
    if (!seen.insert(r.index).second) fail("an index both parsed and rejected");
    if (r.reason.empty()) fail("a rejection without a reason");
  }
  if (!seen.empty() && (*seen.rbegin() != seen.size() - 1)) fail("indexes are not 0..n-1");
  const auto total = batch.messages.size();
  const auto events = by_event(std::move(batch.messages));
  std::size_t grouped = 0;
  std::set<std::string> names;
  for (const auto& e : events) {
    if (!names.insert(e.event_id).second) fail("an event grouped twice");
    for (std::size_t i = 0; i < e.messages.size(); ++i) {
      if (e.messages[i].event_id != e.event_id) fail("a message in another event's group");
      if (i > 0 && e.messages[i - 1].sequence > e.messages[i].sequence) fail("an event's messages out of order");
    }
    grouped += e.messages.size();
  }
  if (grouped != total) fail("by_event lost or added messages");
  return 0;
}
