#include "api/casino.hpp"

#include <algorithm>
#include <variant>

#include "casino/fundist.hpp"
#include "http/response.hpp"
#include "observability/log.hpp"

namespace b2w::api {

using http::Awaitable;
using http::Response;
using http::Status;

RouteHandler fundist_callback(casino::CasinoWallet& wallet, FundistCallbackOptions options) {
  return [&wallet, options = std::move(options)](Call call) -> Awaitable<Response> {
    namespace fundist = casino::fundist;
    if (!options.allowed_callers.empty()) {
      const auto ip = parse_ip(call.ctx.client_ip);
      const bool allowed = ip && std::any_of(options.allowed_callers.begin(), options.allowed_callers.end(),
                                             [&](const IpNetwork& n) { return n.contains(*ip); });
      if (!allowed) {
        log::warn("casino callback refused: caller not allowed")
            .str("aggregator", fundist::kAggregator)
            .str("ip", call.ctx.client_ip);
        co_return http::raw_json_response(
            Status::ok, fundist::render_rejection({.error = "Access denied", .reason = "caller"}, options.hmac_secret));
      }
    }
    auto read = fundist::read_callback(call.ctx.request.body(), options.hmac_secret);
    if (const auto* rejected = std::get_if<fundist::Rejected>(&read)) {
      log::warn("casino callback rejected").str("aggregator", fundist::kAggregator).str("reason", rejected->reason);
      co_return http::raw_json_response(Status::ok, fundist::render_rejection(*rejected, options.hmac_secret));
    }
    const auto wallet_call = std::get<casino::WalletCall>(std::move(read));
    const auto reply = co_await wallet.handle(wallet_call);
    if (reply.refusal)
      log::info("casino callback refused")
          .str("aggregator", fundist::kAggregator)
          .str("refusal", casino::to_string(*reply.refusal))
          .str("tid", wallet_call.tid);
    co_return http::raw_json_response(Status::ok, fundist::render_reply(wallet_call, reply, options.hmac_secret));
  };
}

}  // namespace b2w::api
