#include "api/wallet.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "api/pagination.hpp"
#include "api/authenticate.hpp"
#include "http/response.hpp"
#include "util/time.hpp"

namespace b2w::api {

using http::Awaitable;
using http::RequestContext;
using http::Response;

void register_wallet(http::Router& router, const std::string& root, store::LedgerRepository& ledger,
                     const auth::TokenService& tokens) {
  router.add(http::Verb::get, root + "/wallet", [&](RequestContext& ctx) -> Awaitable<Response> {
    const auto claims = api::require_user(ctx, tokens);
    const auto b = co_await ledger.balances(claims.sub);
    auto res = http::json_response(http::Status::ok, boost::json::object{{"currency", domain::kCurrency},
                                                                         {"balance", b.balance},
                                                                         {"pending_withdrawals", b.pending_withdrawals},
                                                                         {"in_play", b.in_play}});
    res.set(http::Field::cache_control, "no-store");
    co_return res;
  });

  router.add(http::Verb::get, root + "/wallet/transactions", [&](RequestContext& ctx) -> Awaitable<Response> {
    const auto claims = api::require_user(ctx, tokens);
    const auto page = page_request(ctx);
    // One more than asked tells whether there is a next page.
    auto lines = co_await ledger.history(store::wallet_account(claims.sub), page.limit + 1, page.after);
    const bool more = static_cast<int>(lines.size()) > page.limit;
    if (more) lines.pop_back();
    boost::json::array data;
    for (const auto& l : lines)
      data.push_back(boost::json::object{{"id", l.transaction_id},
                                         {"type", l.kind},
                                         {"amount", l.amount},
                                         {"currency", domain::kCurrency},
                                         {"balance_after", l.balance_after},
                                         {"reference", l.reference},
                                         {"created_at", rfc3339(l.created_at)}});
    boost::json::value next = nullptr;
    if (more) next = encode_cursor(lines.back().created_at, lines.back().transaction_id);
    auto res = http::json_response(http::Status::ok, boost::json::object{{"data", std::move(data)}, {"next_cursor", next}});
    res.set(http::Field::cache_control, "no-store");
    co_return res;
  });
}

}  // namespace b2w::api
