// Paystack webhook bodies through the parser the payment service uses (payments/webhook_event.hpp), and the
// payment state tables they drive (domain/payment_states.hpp).
//
// Properties:
//  - a body is either refused as not a JSON object (std::invalid_argument, nothing else) or parsed;
//  - a parsed payment notice names a non-empty reference, and its event is one the tables know for its kind:
//    applied from any status, it finds at most one move, and that move leads to a status whose posting sets
//    never both return and settle a withdrawal;
//  - parsing is deterministic (the same body twice gives the same notice).
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "domain/payment_states.hpp"
#include "payments/webhook_event.hpp"

namespace {

using namespace b2w;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "property violated: %s\n", what);
  std::abort();
}

constexpr domain::PaymentStatus kStatuses[] = {domain::PaymentStatus::pending,   domain::PaymentStatus::awaiting_review,
                                               domain::PaymentStatus::completed, domain::PaymentStatus::failed,
                                               domain::PaymentStatus::reversed,  domain::PaymentStatus::rejected};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  decltype(payments::parse_webhook(body)) parsed;
  try {
    parsed = payments::parse_webhook(body);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const auto again = payments::parse_webhook(body);
  if (again.index() != parsed.index()) fail("parsing is not deterministic");
  const auto* notice = std::get_if<payments::PaymentNotice>(&parsed);
  if (!notice) return 0;
  const auto& twin = std::get<payments::PaymentNotice>(again);
  if (twin.reference != notice->reference || twin.amount != notice->amount || twin.event != notice->event)
    fail("parsing is not deterministic");
  if (notice->reference.empty()) fail("a payment notice without a reference");
  const auto& table = domain::transitions_of(notice->kind);
  bool known = false;
  for (const auto& m : table.moves()) known = known || m.event == notice->event;
  if (!known) fail("a notice's event has no move in its kind's table");
  for (auto from : kStatuses) {
    const auto* move = table.find(from, notice->event);
    if (!move) continue;
    for (const auto& set : table.posting_sets(move->to)) {
      bool returned = false, settled = false;
      for (auto p : set) {
        returned = returned || p == domain::PaymentPosting::withdrawal_return;
        settled = settled || p == domain::PaymentPosting::withdrawal_settle;
      }
      if (returned && settled) fail("a move leads to a hold both returned and settled");
    }
  }
  return 0;
}
