#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

// The SQL store: the system of record. Two implementations behind one
// interface: embedded SQLite (make run) and PostgreSQL (AWS, RDS).
//
// SQL is written once for both: parameters are $1, $2, ... (SQLite binds them
// by name); times are BIGINT epoch microseconds set by the application; row
// locks are written "FOR UPDATE" and dropped on SQLite, whose single writer
// already serializes transactions.
namespace b2w::store {

template <typename T>
using Awaitable = boost::asio::awaitable<T>;

using Value = std::variant<std::monostate, std::int64_t, std::string>;
inline const Value null_value{};

enum class Dialect { sqlite, postgres };
inline std::string_view to_string(Dialect dialect) {
  return dialect == Dialect::sqlite ? "sqlite" : "postgres";
}

class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  std::size_t size() const { return cells_.size(); }
  bool is_null(std::size_t i) const { return !cells_.at(i).has_value(); }
  const std::string& str(std::size_t i) const;
  std::optional<std::string> opt_str(std::size_t i) const { return cells_.at(i); }
  std::int64_t i64(std::size_t i) const;
  std::optional<std::int64_t> opt_i64(std::size_t i) const;

 private:
  std::vector<std::optional<std::string>> cells_;
};

struct Result {
  std::vector<Row> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
  bool empty() const { return rows.empty(); }
  const Row& one() const;  // throws when there is not exactly one row
};

// A unique or foreign-key constraint rejected the statement (e.g. email taken).
class ConstraintViolation : public std::runtime_error {
 public:
  explicit ConstraintViolation(std::string constraint)
      : std::runtime_error("constraint violated: " + constraint), constraint_(std::move(constraint)) {}
  const std::string& constraint() const { return constraint_; }

 private:
  std::string constraint_;
};

// A statement the database refused for a reason other than a constraint (a bug): becomes a 500.
class QueryError : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Serialization failure or deadlock: the transaction is re-run (a bounded number of times).
class TransientConflict : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Converts a C++ value to a statement parameter: integers, strings, optionals (empty: NULL).
inline Value to_value(std::int64_t v) {
  return Value{v};
}
inline Value to_value(int v) {
  return Value{std::int64_t{v}};
}
inline Value to_value(std::string v) {
  return Value{std::move(v)};
}
inline Value to_value(std::string_view v) {
  return Value{std::string(v)};
}
inline Value to_value(const char* v) {
  return Value{std::string(v)};
}
inline Value to_value(Value v) {
  return v;
}
inline Value to_value(std::nullopt_t) {
  return null_value;
}
template <typename T>
Value to_value(const std::optional<T>& v) {
  return v ? to_value(*v) : null_value;
}

// Statement parameters from C++ values, in order: values_of(id, 5).
template <typename... Args>
std::vector<Value> values_of(Args&&... args) {
  std::vector<Value> params;
  params.reserve(sizeof...(Args));
  (params.push_back(to_value(std::forward<Args>(args))), ...);
  return params;
}

// A statement with its parameters, for Tx::execute_together.
struct Statement {
  std::string sql;
  std::vector<Value> params;
};

// A conditional write changed another number of rows than it had to (e.g. a status moved under a
// lock that should have kept it): the transaction fails and rolls back, nothing of it is kept.
class UnexpectedRowCount : public std::runtime_error {
  using std::runtime_error::runtime_error;
};
// The SQLSTATE PostgreSQL's b2w_expect_rows() raises (migration 007).
inline constexpr std::string_view kUnexpectedRowCountState = "B2W01";

class Tx {
 public:
  virtual ~Tx() = default;
  virtual Awaitable<Result> execute(std::string_view sql, std::vector<Value> params) = 0;
  // Statements whose results the caller needs but which do not depend on each other's: PostgreSQL
  // sends them (after any deferred ones) in one round trip and runs them in order; their results
  // come back in order. The first error fails the transaction as execute()'s would.
  virtual Awaitable<std::vector<Result>> execute_together(std::vector<Statement> statements) = 0;
  // tx.exec("... WHERE id = $1 AND n > $2", id, 5). (A plain function, not a coroutine:
  // GCC 12 miscompiles braced parameter lists written inside coroutines.)
  template <typename... Args>
  Awaitable<Result> exec(std::string_view sql, Args&&... args) {
    return execute(sql, values_of(std::forward<Args>(args)...));
  }
  // A statement whose result the caller does not need (an INSERT at the end of a transaction):
  // PostgreSQL sends it with the next statement or the COMMIT in one round trip (libpq pipeline
  // mode); its error, if any, is raised there and fails the transaction as usual. SQLite runs it at once.
  virtual Awaitable<void> defer(std::string_view sql, std::vector<Value> params) = 0;
  // tx.defer_exec("UPDATE ... WHERE id = $1", id): defer() with parameters as exec() takes them.
  template <typename... Args>
  Awaitable<void> defer_exec(std::string_view sql, Args&&... args) {
    return defer(sql, values_of(std::forward<Args>(args)...));
  }
  // defer() for a conditional write that must change exactly `rows` rows (UPDATE ... WHERE id = $1 AND
  // status = $2): when its result arrives (with the next statement or the COMMIT) another count raises
  // UnexpectedRowCount there, and the transaction rolls back. It costs no round trip of its own.
  virtual Awaitable<void> defer_expecting(std::int64_t rows, std::string_view sql, std::vector<Value> params) = 0;
  // Several statements at once, without parameters (migrations).
  virtual Awaitable<void> exec_script(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;
};

struct Probe {
  bool ok;
  std::chrono::microseconds latency;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs `body` in one transaction on the store's own executor: committed when
  // it returns, rolled back when it throws. On a serialization failure or
  // deadlock the whole body runs again (at most kMaxAttempts), so a body must
  // only read and write through `tx` and must not have other side effects.
  // Throws ServiceUnavailable when the store cannot be reached.
  virtual Awaitable<void> run_transaction(std::function<Awaitable<void>(Tx&)> body) = 0;

  // One statement outside an explicit transaction (reads).
  virtual Awaitable<Result> execute(std::string sql, std::vector<Value> params) = 0;
  template <typename... Args>
  Awaitable<Result> query(std::string sql, Args&&... args) {
    return execute(std::move(sql), values_of(std::forward<Args>(args)...));
  }

  // A round trip for the health-check's background probe; never throws.
  virtual Awaitable<Probe> probe() = 0;

  static constexpr int kMaxAttempts = 4;
};

// transaction(db, [&](Tx& tx) -> Awaitable<T> {...}) returns the body's result.
template <typename F>
auto transaction(Database& db, F body) -> typename std::invoke_result_t<F, Tx&> {
  using Ret = typename std::invoke_result_t<F, Tx&>::value_type;
  if constexpr (std::is_void_v<Ret>) {
    co_await db.run_transaction([&](Tx& tx) -> Awaitable<void> { co_await body(tx); });
  } else {
    std::optional<Ret> out;
    co_await db.run_transaction([&](Tx& tx) -> Awaitable<void> { out = co_await body(tx); });
    co_return std::move(*out);
  }
}

std::int64_t now_micros();

// Placeholder text for statements with a variable number of parameters:
// parameter_list(3, 2) is "$3, $4"; value_rows(2, 3) is "($1, $2, $3), ($4, $5, $6)".
std::string parameter_list(std::size_t first, std::size_t count);
std::string value_rows(std::size_t rows, std::size_t columns);

}  // namespace b2w::store
