#pragma once
#include "api/route_table.hpp"
#include "store/audit.hpp"

namespace b2w::api {

// GET /admin/audit?actor=&entity=&from=&to=&limit=&cursor=: the audit trail, newest first, in cursor pages.
// `entity` is a type ("market") or a type and an id ("market:mkt_…").
RouteHandler audit_log(store::AuditRepository& audit);

}  // namespace b2w::api
