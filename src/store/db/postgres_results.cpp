#include "store/db/postgres_results.hpp"

#include <charconv>
#include <optional>
#include <string_view>

#include "util/unavailable.hpp"

namespace b2w::store::postgres {

std::string pg_message(const char* raw) {
  std::string m = raw ? raw : "";
  if (auto nl = m.find('\n'); nl != std::string::npos) m.resize(nl);
  return m;
}

Result convert_results(std::vector<PgResult>& results, PGconn* pg, bool& broken) {
  const pq::Api& pq = pq::api();
  Result out;
  for (auto& r : results) {
    const auto status = pq.resultStatus(r.get());
    if (status == PGRES_TUPLES_OK) {
      const int rows = pq.ntuples(r.get()), cols = pq.nfields(r.get());
      out.rows.reserve(out.rows.size() + static_cast<std::size_t>(rows));
      for (int i = 0; i < rows; ++i) {
        std::vector<std::optional<std::string>> cells;
        cells.reserve(static_cast<std::size_t>(cols));
        for (int c = 0; c < cols; ++c) {
          if (pq.getisnull(r.get(), i, c))
            cells.emplace_back(std::nullopt);
          else
            cells.emplace_back(
                std::string(pq.getvalue(r.get(), i, c), static_cast<std::size_t>(pq.getlength(r.get(), i, c))));
        }
        out.rows.emplace_back(std::move(cells));
      }
    } else if (status == PGRES_COMMAND_OK) {
      const char* tuples = pq.cmdTuples(r.get());
      std::int64_t n = 0;
      if (tuples && *tuples) std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), n);
      out.affected += n;
    } else if (status != PGRES_EMPTY_QUERY) {
      raise_result(r.get(), pg, broken);
    }
  }
  return out;
}

void raise_result(PGresult* r, PGconn* pg, bool& broken) {
  const pq::Api& pq = pq::api();
  const char* state = pq.resultErrorField(r, PG_DIAG_SQLSTATE);
  const std::string sqlstate = state ? state : "";
  const std::string message = pg_message(pq.resultErrorMessage(r));
  if (sqlstate.rfind("23", 0) == 0) {
    const char* constraint = pq.resultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
    throw ConstraintViolation(constraint ? constraint : message);
  }
  if (sqlstate == "40001" || sqlstate == "40P01") throw TransientConflict(message);
  if (sqlstate == kUnexpectedRowCountState) throw UnexpectedRowCount(message);
  if (sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57P", 0) == 0 || sqlstate.rfind("53", 0) == 0 ||
      pq.status(pg) != CONNECTION_OK) {
    broken = true;
    throw ServiceUnavailable("database", message);
  }
  throw QueryError(sqlstate + " " + message);
}

}  // namespace b2w::store::postgres
