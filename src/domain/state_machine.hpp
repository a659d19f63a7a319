#pragma once
#include <algorithm>
#include <optional>
#include <set>
#include <span>
#include <utility>
#include <vector>

// The states of something that holds money (a payment, a bet, later a casino round), as one table of
// allowed moves: each move names the event that causes it and the ledger posting it makes. Services
// look moves up here and write them as conditional updates (status = to WHERE status = from); the
// ledger's verification derives from the same table which postings each status implies.
namespace b2w::domain {

template <typename Status, typename Event, typename Posting>
struct Transition {
  std::optional<Status> from;  // nullopt: the entity's creation
  Event event;
  Status to;
  std::optional<Posting> posting;  // the ledger movement made in the same SQL transaction, if any
};

template <typename Status, typename Event, typename Posting>
class TransitionTable {
 public:
  using Move = Transition<Status, Event, Posting>;
  using Postings = std::vector<Posting>;  // sorted, each at most once

  explicit constexpr TransitionTable(std::span<const Move> moves) : moves_(moves) {}

  std::span<const Move> moves() const { return moves_; }

  // The move `event` makes from `from`, or nullptr when it is not allowed (a repeated or late event).
  const Move* find(std::optional<Status> from, Event event) const {
    for (const auto& m : moves_)
      if (m.from == from && m.event == event) return &m;
    return nullptr;
  }

  // Every set of postings an entity in `status` can hold: walks every path from creation, so that what
  // the ledger must show follows from the table and cannot drift from it. A path never makes the same
  // posting twice (its id is its idempotency key), which also bounds the walk.
  std::vector<Postings> posting_sets(Status status) const {
    std::set<std::pair<Status, Postings>> seen;
    std::vector<std::pair<Status, Postings>> todo;
    for (const auto& m : moves_)
      if (!m.from) visit(m, Postings{}, seen, todo);
    while (!todo.empty()) {
      auto [at, held] = std::move(todo.back());
      todo.pop_back();
      for (const auto& m : moves_)
        if (m.from == at) visit(m, held, seen, todo);
    }
    std::set<Postings> out;
    for (const auto& [s, held] : seen)
      if (s == status) out.insert(held);
    return {out.begin(), out.end()};
  }

  // Whether an entity in `status` holding exactly `held` (in any order) is what some path leads to.
  bool consistent(Status status, Postings held) const {
    std::sort(held.begin(), held.end());
    if (std::adjacent_find(held.begin(), held.end()) != held.end()) return false;
    const auto sets = posting_sets(status);
    return std::find(sets.begin(), sets.end(), held) != sets.end();
  }

 private:
  static void visit(const Move& m, Postings held, std::set<std::pair<Status, Postings>>& seen,
                    std::vector<std::pair<Status, Postings>>& todo) {
    if (m.posting) {
      if (std::find(held.begin(), held.end(), *m.posting) != held.end()) return;
      held.insert(std::upper_bound(held.begin(), held.end(), *m.posting), *m.posting);
    }
    if (seen.emplace(m.to, held).second) todo.emplace_back(m.to, std::move(held));
  }

  std::span<const Move> moves_;
};

}  // namespace b2w::domain
