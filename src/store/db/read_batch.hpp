#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "store/db/database.hpp"

namespace b2w::store {

// The reads several repositories make at the start of one transaction, sent together: PostgreSQL
// pipelines them (with the transaction's BEGIN) in one round trip and runs them in the order they were
// added; SQLite runs them in turn. Each repository adds its statements with the function that reads
// their results; the caller takes each value once run() has returned.
//
//   ReadBatch reads(tx.dialect());
//   const auto gate = PlayerLimitRepository::read_gate(reads, ...);
//   const auto offers = CatalogRepository::read_offers(reads, ids);
//   co_await reads.run(tx);
//   use(*gate, *offers);
class ReadBatch {
 public:
  template <typename T>
  class Later {
   public:
    const T& operator*() const { return value(); }
    const T* operator->() const { return &value(); }

   private:
    friend class ReadBatch;
    explicit Later(std::shared_ptr<const std::optional<T>> slot) : slot_(std::move(slot)) {}
    const T& value() const {
      if (!*slot_) throw std::logic_error("a batched read was taken before its batch ran");
      return **slot_;
    }
    std::shared_ptr<const std::optional<T>> slot_;
  };

  explicit ReadBatch(Dialect dialect) : dialect_(dialect) {}
  Dialect dialect() const { return dialect_; }

  // `read` gets the results of exactly these statements, in order.
  template <typename T>
  Later<T> add(std::vector<Statement> statements, std::function<T(std::span<const Result>)> read) {
    auto slot = std::make_shared<std::optional<T>>();
    const auto first = statements_.size(), count = statements.size();
    for (auto& statement : statements) statements_.push_back(std::move(statement));
    readers_.push_back([slot, first, count, read = std::move(read)](const std::vector<Result>& results) {
      slot->emplace(read(std::span<const Result>(results).subspan(first, count)));
    });
    return Later<T>(slot);
  }

  // Sends what was added (after the transaction's deferred statements) and reads every result.
  Awaitable<void> run(Tx& tx);

 private:
  Dialect dialect_;
  std::vector<Statement> statements_;
  std::vector<std::function<void(const std::vector<Result>&)>> readers_;
};

}  // namespace b2w::store
