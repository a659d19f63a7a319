#pragma once
#include <map>
#include <string>

#include "domain/audit_chain.hpp"
#include "domain/betting.hpp"
#include "store/audit.hpp"
#include "store/catalog.hpp"

// The audit records of the catalogue's changes: before and after hold only the fields that changed.
namespace b2w::sportsbook {

// Who acts when no person does (store tests, tools): kept apart from any user id.
domain::Actor system_actor();

store::AuditEntry event_created(domain::Actor actor, const store::Event& event);
store::AuditEntry event_changed(domain::Actor actor, const store::Event& before, const store::Event& after);
store::AuditEntry market_created(domain::Actor actor, const store::Market& market);
store::AuditEntry market_changed(domain::Actor actor, const store::Market& before, const store::Market& after);
// "market.settle", or "market.void" when every selection is void because the market was voided.
store::AuditEntry market_settled(domain::Actor actor, const std::string& market_id, domain::MarketStatus before,
                                 domain::MarketStatus after, const std::map<std::string, domain::LegResult>& results);

}  // namespace b2w::sportsbook
