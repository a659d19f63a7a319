#pragma once
// libpq's results as the Database interface has them: rows and affected-row counts, and failures
// as its exceptions.
#include <memory>
#include <string>
#include <vector>

#include "store/db/database.hpp"
#include "store/db/libpq.hpp"

namespace b2w::store::postgres {

struct ResultDeleter {
  void operator()(PGresult* r) const { pq::api().clear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// The first line of libpq's message, without the trailing newline (no secrets: libpq never echoes passwords).
std::string pg_message(const char* raw);

// One statement's results, in order: the rows of each, the sum of their affected-row counts.
// An error among them is raised as raise_result() does.
Result convert_results(std::vector<PgResult>& results, PGconn* pg, bool& broken);

// Throws what the failed result `r` stands for: ConstraintViolation, TransientConflict,
// UnexpectedRowCount or QueryError, or ServiceUnavailable for a failure of the connection itself
// (classes 08, 57P, 53, or a connection no longer OK), which also sets `broken`: never reuse it.
[[noreturn]] void raise_result(PGresult* r, PGconn* pg, bool& broken);

}  // namespace b2w::store::postgres
