#include "store/db/read_batch.hpp"

namespace b2w::store {

Awaitable<void> ReadBatch::run(Tx& tx) {
  std::vector<Statement> statements;
  statements.swap(statements_);
  auto readers = std::move(readers_);
  readers_.clear();
  std::vector<Result> results;
  if (!statements.empty()) results = co_await tx.execute_together(std::move(statements));
  for (const auto& read : readers) read(results);
}

}  // namespace b2w::store
