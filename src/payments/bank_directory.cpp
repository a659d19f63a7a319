#include "payments/bank_directory.hpp"

#include <stdexcept>

#include "domain/error.hpp"
#include "observability/log.hpp"

namespace b2w::payments {

namespace {

using Cache = SingleFlightCache<BankCachePolicy>;

Awaitable<Cache::Fetched> fetch_banks(PaystackClient* paystack) {
  auto banks = co_await paystack->list_banks();
  // Never cached: a list without a bank would refuse every payout account for hours.
  if (banks.empty()) throw std::runtime_error("Paystack listed no usable bank");
  log::info("paystack banks fetched").num("banks", static_cast<std::int64_t>(banks.size()));
  Cache::Fetched fetched{std::make_shared<const std::vector<Bank>>(std::move(banks)), std::nullopt};
  co_return fetched;
}

}  // namespace

BankDirectory::BankDirectory(PaystackClient& paystack, BankDirectoryOptions options)
    : cache_(
          BankCachePolicy(options.ttl), options.wait, [paystack = &paystack] { return fetch_banks(paystack); },
          [](std::string_view reason) { log::warn("paystack banks not fetched").str("reason", reason); }) {}

BankDirectory::~BankDirectory() = default;

Awaitable<BankList> BankDirectory::banks() {
  auto banks = co_await cache_.get();
  if (!banks)
    throw domain::Error(domain::ErrorKind::unavailable, "banks_unavailable",
                        "The list of banks is unavailable; try again shortly");
  co_return banks;
}

std::optional<std::string> BankDirectory::name_of(const std::string& code) const {
  const BankList banks = cache_.peek();
  if (!banks) return std::nullopt;
  for (const auto& bank : *banks)
    if (bank.code == code) return bank.name;
  return std::nullopt;
}

}  // namespace b2w::payments
