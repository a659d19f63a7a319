#include "domain/audit_chain.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <utility>
#include <vector>

using namespace b2w::domain;

namespace {

AuditRecord sample() {
  AuditRecord r;
  r.id = "aud_01JD5X8Q2M6T0W9YV3K7B4N1CE";
  r.seq = 7;
  r.actor_id = "usr_01JD5X8Q2M6T0W9YV3K7B4N1CF";
  r.actor_role = "admin";
  r.action = "market.update";
  r.entity_type = "market";
  r.entity_id = "mkt_01JD5X8Q2M6T0W9YV3K7B4N1CG";
  r.before = R"({"status":"open"})";
  r.after = R"({"status":"suspended"})";
  r.request_id = "req-1";
  r.created_at = 1'764'000'000'000'000;
  r.prev_hash = std::string(64, 'a');
  r.hash = audit_hash(r);
  return r;
}

// Every field the hash covers, each with a change of it.
std::vector<std::pair<const char*, std::function<void(AuditRecord&)>>> changes() {
  return {
      {"id", [](AuditRecord& r) { r.id += "x"; }},
      {"seq", [](AuditRecord& r) { r.seq += 1; }},
      {"actor_id", [](AuditRecord& r) { r.actor_id = "cli"; }},
      {"actor_role", [](AuditRecord& r) { r.actor_role = "superadmin"; }},
      {"action", [](AuditRecord& r) { r.action = "market.settle"; }},
      {"entity_type", [](AuditRecord& r) { r.entity_type = "event"; }},
      {"entity_id", [](AuditRecord& r) { r.entity_id.back() = 'H'; }},
      {"before", [](AuditRecord& r) { r.before = R"({"status":"suspended"})"; }},
      {"before null", [](AuditRecord& r) { r.before.reset(); }},
      {"after", [](AuditRecord& r) { r.after = R"({"status":"open"})"; }},
      {"after null", [](AuditRecord& r) { r.after.reset(); }},
      {"request_id", [](AuditRecord& r) { r.request_id = "req-2"; }},
      {"created_at", [](AuditRecord& r) { r.created_at += 1; }},
      {"prev_hash", [](AuditRecord& r) { r.prev_hash = std::string(64, 'b'); }},
  };
}

}  // namespace

TEST(AuditChain, TheHashIsSha256HexAndStable) {
  const auto r = sample();
  EXPECT_EQ(r.hash.size(), 64u);
  EXPECT_EQ(r.hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(audit_hash(r), r.hash);
  EXPECT_EQ(audit_hash(sample()), r.hash);
}

TEST(AuditChain, ChangingAnyFieldChangesTheHash) {
  const auto original = sample();
  std::set<std::string> seen{original.hash};
  for (const auto& [name, change] : changes()) {
    auto r = original;
    change(r);
    const auto h = audit_hash(r);
    EXPECT_NE(h, original.hash) << name;
    EXPECT_TRUE(seen.insert(h).second) << name << " collides with another change";
  }
}

TEST(AuditChain, TheStoredHashIsNotPartOfWhatIsHashed) {
  auto r = sample();
  r.hash = "whatever";
  EXPECT_EQ(audit_hash(r), sample().hash);
}

TEST(AuditChain, SeparatorsInsideFieldsCannotShiftContentBetweenFields) {
  // The same concatenated text split differently between neighbouring fields.
  auto a = sample();
  a.entity_type = "market";
  a.entity_id = "x";
  auto b = sample();
  b.entity_type = "marketx";
  b.entity_id = "";
  EXPECT_NE(audit_hash(a), audit_hash(b));

  // A field that contains what looks like the encoding of the next one.
  auto c = sample();
  c.entity_type = "m";
  c.entity_id = "1:x";
  auto d = sample();
  d.entity_type = "m1:x";
  d.entity_id = "";
  EXPECT_NE(audit_canonical(c), audit_canonical(d));
  EXPECT_NE(audit_hash(c), audit_hash(d));

  // Lengths are counted in bytes, so multi-byte text cannot pass for another split either.
  auto e = sample();
  e.actor_role = "é";
  e.action = "a";
  auto f = sample();
  f.actor_role = "éa";
  f.action = "";
  EXPECT_NE(audit_hash(e), audit_hash(f));
}

TEST(AuditChain, NullIsNeitherTheEmptyStringNorTheTextDash) {
  auto null_before = sample();
  null_before.before.reset();
  auto empty_before = sample();
  empty_before.before = "";
  auto dash_before = sample();
  dash_before.before = "-";
  EXPECT_NE(audit_hash(null_before), audit_hash(empty_before));
  EXPECT_NE(audit_hash(null_before), audit_hash(dash_before));
  EXPECT_NE(audit_hash(empty_before), audit_hash(dash_before));

  // A NULL before and an after that starts with text cannot pass for a before holding that text.
  auto g = sample();
  g.before.reset();
  g.after = "1:x";
  auto h = sample();
  h.before = "x";
  h.after.reset();
  EXPECT_NE(audit_hash(g), audit_hash(h));
}

TEST(AuditChain, TheCanonicalFormIsVersionedAndLengthPrefixed) {
  AuditRecord r;
  r.seq = 1;
  r.prev_hash = "p";
  r.id = "aud_1";
  r.actor_id = "cli";
  r.actor_role = "cli";
  r.action = "user.lock";
  r.entity_type = "user";
  r.entity_id = "usr_1";
  r.after = R"({"locked":true})";
  r.created_at = 5;
  EXPECT_EQ(audit_canonical(r),
            "b2w-audit-v11:11:p5:aud_13:cli3:cli9:user.lock4:user5:usr_1-15:{\"locked\":true}0:1:5");
}

TEST(AuditChain, ALinkContinuesTheChainOnlyWithTheNextSeqThePreviousHashAndItsOwnHash) {
  auto first = sample();
  first.seq = 1;
  first.prev_hash = std::string(kAuditGenesisHash);
  first.hash = audit_hash(first);
  EXPECT_EQ(audit_link_problem(first, 0, kAuditGenesisHash), std::nullopt);

  auto second = sample();
  second.seq = 2;
  second.prev_hash = first.hash;
  second.hash = audit_hash(second);
  EXPECT_EQ(audit_link_problem(second, 1, first.hash), std::nullopt);

  // A record deleted before it: the sequence jumps.
  EXPECT_NE(audit_link_problem(second, 0, kAuditGenesisHash), std::nullopt);
  // The previous record was changed and re-hashed: its hash is no longer the one this record names.
  EXPECT_NE(audit_link_problem(second, 1, std::string(64, 'f')), std::nullopt);
  // This record was changed without re-hashing.
  auto edited = second;
  edited.after = R"({"status":"open"})";
  const auto problem = audit_link_problem(edited, 1, first.hash);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("changed"), std::string::npos);
}
