#include "limits/audit_records.hpp"

#include <boost/json/serialize.hpp>

namespace b2w::limits {
namespace {

namespace json = boost::json;

json::value optional_int(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object exclusion_json(const store::UserRecord& u) {
  return {{"excluded_until", optional_int(u.excluded_until)},
          {"exclusion_period", u.exclusion_period ? json::value(*u.exclusion_period) : json::value(nullptr)}};
}

json::object limits_json(const std::vector<store::StoredLimit>& limits) {
  json::object out;
  for (const auto& l : limits) {
    const auto& s = l.setting;
    json::object setting{{"amount", optional_int(s.amount)}};
    if (s.pending) {
      setting["pending_amount"] = optional_int(s.pending_amount);
      setting["pending_from"] = s.pending_from;
    }
    out[std::string(domain::to_string(l.kind)) + "." + std::string(domain::to_string(l.period))] = std::move(setting);
  }
  return out;
}

}  // namespace

store::AuditEntry date_of_birth_record(const domain::Actor& player, const std::string& date_of_birth) {
  return {player,
          "player.date_of_birth",
          "user",
          player.id,
          json::serialize(json::object{{"date_of_birth", nullptr}}),
          json::serialize(json::object{{"date_of_birth", date_of_birth}})};
}

store::AuditEntry exclusion_record(const domain::Actor& player, const store::UserRecord& before,
                                   const store::UserRecord& after) {
  return {player,
          "player.exclude",
          "user",
          player.id,
          json::serialize(exclusion_json(before)),
          json::serialize(exclusion_json(after))};
}

store::AuditEntry limits_record(const domain::Actor& who, const std::string& user_id,
                                const std::vector<store::StoredLimit>& before,
                                const std::vector<store::StoredLimit>& after,
                                const std::optional<std::string>& operator_reason) {
  auto after_json = limits_json(after);
  if (operator_reason) after_json["reason"] = *operator_reason;
  return {who,
          operator_reason ? "user.limits" : "player.limits",
          "user",
          user_id,
          json::serialize(limits_json(before)),
          json::serialize(after_json)};
}

}  // namespace b2w::limits
