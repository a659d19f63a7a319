#include "api/wallet.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/pagination.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::Awaitable;
using http::Response;

RouteHandler wallet_balances(store::LedgerRepository& ledger) {
  return [&ledger](Call call) -> Awaitable<Response> {
    const auto b = co_await ledger.balances(call.user.sub);
    co_return http::json_response(http::Status::ok, boost::json::object{{"currency", domain::kCurrency},
                                                                        {"balance", b.balance},
                                                                        {"pending_withdrawals", b.pending_withdrawals},
                                                                        {"in_play", b.in_play}});
  };
}

RouteHandler wallet_transactions(store::LedgerRepository& ledger) {
  return [&ledger](Call call) -> Awaitable<Response> {
    const auto page = page_request(call.ctx);
    auto lines = co_await ledger.history(store::wallet_account(call.user.sub), page.limit + 1, page.after);
    co_return http::json_response(
        http::Status::ok,
        page_json(
            lines, page, [](const store::LedgerLine& l) { return std::pair(l.created_at, l.transaction_id); },
            [](const store::LedgerLine& l) {
              return boost::json::object{{"id", l.transaction_id},
                                         {"type", l.kind},
                                         {"amount", l.amount},
                                         {"currency", domain::kCurrency},
                                         {"balance_after", l.balance_after},
                                         {"reference", l.reference},
                                         {"created_at", rfc3339(l.created_at)}};
            }));
  };
}

}  // namespace b2w::api
