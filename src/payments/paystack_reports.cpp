// Paystack's listings for the daily reconciliation: GET /transaction and GET /transfer, paginated
// (src/payments/README.md, "Daily reconciliation", says which fields are verified and which assumed).
#include <boost/json/parse.hpp>

#include "observability/scrub.hpp"
#include "payments/paystack.hpp"
#include "util/time.hpp"

namespace b2w::payments {

namespace {

const boost::json::value* field(const boost::json::object& o, const char* a, const char* b = nullptr) {
  if (const auto* v = o.if_contains(a); v && !v->is_null()) return v;
  if (b)
    if (const auto* v = o.if_contains(b); v && !v->is_null()) return v;
  return nullptr;
}

std::optional<std::int64_t> integer(const boost::json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->as_uint64());
  return std::nullopt;
}

std::string text(const boost::json::value* v) {
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<std::int64_t> time_of(const boost::json::value* v) {
  if (!v || !v->is_string()) return std::nullopt;
  return parse_rfc3339(std::string_view(v->as_string()));
}

}  // namespace

ListedPage parse_list_page(ListKind kind, int http_status, std::string_view body) {
  const char* what = kind == ListKind::transactions ? "GET /transaction" : "GET /transfer";
  boost::system::error_code ec;
  auto json = boost::json::parse(body, ec);
  const auto* obj = (!ec && json.is_object()) ? &json.as_object() : nullptr;
  const auto* ok = obj ? obj->if_contains("status") : nullptr;
  if (!(http_status >= 200 && http_status < 300 && ok && ok->is_bool() && ok->as_bool())) {
    std::string message = std::string("Paystack refused ") + what + " (HTTP " + std::to_string(http_status) + ")";
    if (const auto* m = obj ? obj->if_contains("message") : nullptr; m && m->is_string())
      message += ": " + scrub::without_long_numbers(std::string(m->as_string()).substr(0, 200));
    throw ProviderError(message, true);
  }
  const auto* data = obj->if_contains("data");
  const auto* meta = obj->if_contains("meta");
  if (!data || !data->is_array() || !meta || !meta->is_object())
    throw ProviderError(std::string("Paystack answered ") + what + " without a data array and its meta", true);
  const auto& m = meta->as_object();
  ListedPage page;
  const auto number = integer(field(m, "page"));
  auto count = integer(field(m, "pageCount"));
  if (!count) {
    // pageCount absent: derived from total and perPage when Paystack gives those.
    const auto total = integer(field(m, "total"));
    const auto per_page = integer(field(m, "perPage"));
    if (total && per_page && *per_page > 0) count = (*total + *per_page - 1) / *per_page;
  }
  if (!number || !count || *number < 1 || *count < 0 || *count > INT32_MAX)
    throw ProviderError(std::string("Paystack answered ") + what + " without a readable meta.page and pageCount", true);
  page.page = static_cast<int>(*number);
  page.page_count = static_cast<int>(*count);
  for (const auto& item : data->as_array()) {
    if (!item.is_object()) throw ProviderError(std::string("Paystack answered ") + what + " with a non-object", true);
    const auto& o = item.as_object();
    ListedPayment p;
    p.reference = text(field(o, "reference"));
    p.status = text(field(o, "status"));
    p.amount = integer(field(o, "amount"));
    p.currency = text(field(o, "currency"));
    p.settled_at = kind == ListKind::transactions ? time_of(field(o, "paid_at", "paidAt"))
                                                  : time_of(field(o, "updatedAt", "updated_at"));
    page.records.push_back(std::move(p));
  }
  return page;
}

boost::asio::awaitable<std::vector<ListedPayment>> PaystackClient::list_all(std::string path_and_filters,
                                                                            ListKind kind) {
  std::vector<ListedPayment> out;
  for (int page = 1;; ++page) {
    // A listing is only read: a request that failed on the way is asked again (bounded), as a page.
    const auto reply = co_await get_reply(
        path_and_filters + "&perPage=" + std::to_string(kListPerPage) + "&page=" + std::to_string(page),
        "a listing page", options_.retries);
    auto parsed = parse_list_page(kind, reply.status, reply.body);
    if (parsed.page_count > kListMaxPages)
      throw ProviderError("Paystack lists " + std::to_string(parsed.page_count) + " pages; at most " +
                              std::to_string(kListMaxPages) + " are read",
                          false);
    for (auto& r : parsed.records) out.push_back(std::move(r));
    if (page >= parsed.page_count || parsed.records.empty()) break;
  }
  co_return out;
}

boost::asio::awaitable<std::vector<ListedPayment>> PaystackClient::list_transactions(std::int64_t from,
                                                                                     std::int64_t to) {
  std::string path = "/transaction?status=success&from=" + rfc3339(from) + "&to=" + rfc3339(to);
  co_return co_await list_all(std::move(path), ListKind::transactions);
}

boost::asio::awaitable<std::vector<ListedPayment>> PaystackClient::list_transfers(std::int64_t from, std::int64_t to) {
  std::string path = "/transfer?from=" + rfc3339(from) + "&to=" + rfc3339(to);
  co_return co_await list_all(std::move(path), ListKind::transfers);
}

}  // namespace b2w::payments
