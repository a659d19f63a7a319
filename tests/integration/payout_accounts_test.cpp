// Payout accounts (issue 21) on the real binary against the fake Paystack's GET /bank and GET /bank/resolve: the
// bank list cached (and served stale while Paystack is down, 503 when it never came), accounts resolved and saved
// with the bank's name, withdrawals to them through one transfer recipient per account, names that do not match
// sent to review or refused.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <future>
#include <latch>
#include <thread>

#include "harness.hpp"
#include "money_server.hpp"
#include "pg_server.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using boost::json::object;

namespace {

const std::string kAccounts = "/api/v1/wallet/payout-accounts";
const std::string kBanks = "/api/v1/wallet/banks";

std::string str(const boost::json::value& v) {
  return std::string(v.as_string());
}

std::vector<std::string> bank_names(const HttpResponse& r) {
  std::vector<std::string> names;
  auto body = json_of(r);  // kept: a range-for over a member of the temporary would dangle
  for (const auto& b : body["banks"].as_array()) names.push_back(str(b.as_object().at("name")));
  return names;
}

const std::vector<std::string> kListed{"Access Bank", "First Bank of Nigeria", "Guaranty Trust Bank",
                                       "United Bank For Africa", "Zenith Bank"};

// The request bodies the fake received on exactly this path.
std::vector<object> bodies_to(Money& m, const std::string& path) {
  std::vector<object> out;
  const auto all = boost::json::parse(m.paystack().requests_json());
  for (const auto& r : all.as_array())
    if (r.as_object().at("path").as_string() == path) out.push_back(r.as_object().at("body").as_object());
  return out;
}

std::size_t live_accounts(Money& m, const std::string& token) {
  auto r = m.get_auth(kAccounts, token);
  EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "");
  return r && r->status == 200 ? json_of(*r)["data"].as_array().size() : 0;
}

std::optional<HttpResponse> save(Money& m, const std::string& token, const std::string& bank,
                                 const std::string& number) {
  return m.post(kAccounts, {{"bank_code", bank}, {"account_number", number}}, token, "");
}

}  // namespace

TEST(PayoutAccounts, BanksAreListedFromEveryPageAndCached) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("banks@example.ng");
  EXPECT_EQ(m.get_auth(kBanks, "")->status, 401);
  auto first = m.get_auth(kBanks, token);
  ASSERT_TRUE(first && first->status == 200) << (first ? first->body : "");
  EXPECT_EQ(bank_names(*first), kListed) << "active NGN banks of all three pages, by name";
  const auto banks = json_of(*first)["banks"].as_array();
  EXPECT_EQ(str(banks[2].as_object().at("code")), "058");
  EXPECT_EQ(banks[2].as_object().size(), 2u) << "code and name only";
  // Three pages of two (the fake's page size), the later ones by Paystack's cursor, with the secret key.
  const auto all = boost::json::parse(m.paystack().requests_json()).as_array();
  std::vector<std::string> paths;
  for (const auto& r : all) {
    const std::string path = str(r.as_object().at("path"));
    if (path.rfind("/bank?", 0) != 0) continue;
    paths.push_back(path);
    EXPECT_EQ(str(r.as_object().at("authorization")), "Bearer " + kPaystackSecret);
  }
  ASSERT_EQ(paths.size(), 3u);
  EXPECT_NE(paths[0].find("country=nigeria"), std::string::npos) << paths[0];
  EXPECT_NE(paths[0].find("perPage=100"), std::string::npos) << paths[0];
  EXPECT_EQ(paths[0].find("next="), std::string::npos) << paths[0];
  EXPECT_NE(paths[1].find("next="), std::string::npos) << paths[1];
  EXPECT_NE(paths[2].find("next="), std::string::npos) << paths[2];

  for (int i = 0; i < 3; ++i) {
    auto again = m.get_auth(kBanks, token);
    ASSERT_TRUE(again && again->status == 200);
    EXPECT_EQ(bank_names(*again), kListed);
  }
  EXPECT_EQ(m.paystack().count_requests("/bank?"), 3) << "served from memory within PAYSTACK_BANKS_TTL";
}

TEST(PayoutAccounts, StaleBanksAreServedWhilePaystackIsDown) {
  Money m(Env{{"PAYSTACK_BANKS_TTL", "1s"}});
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("stale@example.ng");
  ASSERT_EQ(m.get_auth(kBanks, token)->status, 200);
  ASSERT_EQ(m.paystack().count_requests("/bank?"), 3);
  m.paystack().set_mode("down");
  // Once the list is older than its TTL a request starts a refresh, which fails: every answer meanwhile and after
  // is the list held.
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (m.paystack().count_requests("/bank?") == 3 && std::chrono::steady_clock::now() < deadline) {
    auto r = m.get_auth(kBanks, token);
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "");
    EXPECT_EQ(bank_names(*r), kListed);
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_GT(m.paystack().count_requests("/bank?"), 3) << "no refresh was tried";
  for (int i = 0; i < 3; ++i) {
    auto r = m.get_auth(kBanks, token);
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "");
    EXPECT_EQ(bank_names(*r), kListed);
  }
}

TEST(PayoutAccounts, ColdBanksWithPaystackDownAre503AndColdRequestsShareOneFetch) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("cold@example.ng");
  m.paystack().set_mode("down");
  auto down = m.get_auth(kBanks, token);
  ASSERT_TRUE(down && down->status == 503) << (down ? down->body : "");
  EXPECT_EQ(code_of(*down), "banks_unavailable");

  // Eight requests at once while Paystack hangs: one fetch, whose first page times out (PAYSTACK_TIMEOUT 2 s);
  // all eight wait for it on no thread, then answer 503.
  m.paystack().set_mode("hang");
  const int before = m.paystack().count_requests("/bank?");
  std::latch start(8);
  std::vector<std::future<int>> calls;
  for (int i = 0; i < 8; ++i)
    calls.push_back(std::async(std::launch::async, [&] {
      start.arrive_and_wait();
      auto r = m.get_auth(kBanks, token);
      return r ? r->status : 0;
    }));
  for (auto& c : calls) EXPECT_EQ(c.get(), 503);
  EXPECT_EQ(m.paystack().count_requests("/bank?"), before + 1) << "cold requests must not stampede Paystack";
  // Meanwhile other routes answered: the waits block no I/O thread.
  m.paystack().set_mode("ok");
  auto back = m.get_auth(kBanks, token);
  ASSERT_TRUE(back && back->status == 200) << (back ? back->body : "");
  EXPECT_EQ(bank_names(*back), kListed);
}

namespace {

void save_list_and_remove(Money& m) {
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto token = m.user("saver@example.ng", "Ada Chioma Obi");
  ASSERT_EQ(m.get_auth(kBanks, token)->status, 200);  // the bank list known: saved accounts carry the bank's name
  m.paystack().set_resolvable("058", "0123456789", "OBI ADA CHIOMA");

  // Validation errors store nothing and ask Paystack nothing.
  for (const auto& body : std::vector<object>{{{"bank_code", "58"}, {"account_number", "0123456789"}},
                                              {{"bank_code", "05A"}, {"account_number", "0123456789"}},
                                              {{"bank_code", "0580000"}, {"account_number", "0123456789"}},
                                              {{"bank_code", "058"}, {"account_number", "123456789"}},
                                              {{"bank_code", "058"}, {"account_number", "01234567890"}},
                                              {{"bank_code", "058"}, {"account_number", 123456789}},
                                              {{"bank_code", "058"}},
                                              {}}) {
    auto r = m.post(kAccounts, body, token, "");
    ASSERT_TRUE(r && r->status == 422) << boost::json::serialize(body) << ": " << (r ? r->body : "");
    EXPECT_EQ(code_of(*r), "validation_error");
  }
  EXPECT_EQ(m.paystack().count_requests("/bank/resolve"), 0);
  // An account the bank does not know.
  auto unknown = save(m, token, "058", "0000000001");
  ASSERT_TRUE(unknown && unknown->status == 422) << (unknown ? unknown->body : "");
  EXPECT_EQ(code_of(*unknown), "account_not_resolved");
  EXPECT_EQ(unknown->body.find("0000000001"), std::string::npos);
  EXPECT_EQ(live_accounts(m, token), 0u);

  auto saved = save(m, token, "058", "0123456789");
  ASSERT_TRUE(saved && saved->status == 201) << (saved ? saved->body : "");
  auto a = json_of(*saved);
  const std::string id = str(a["id"]);
  EXPECT_EQ(id.rfind("pa_", 0), 0u) << id;
  EXPECT_EQ(str(a["bank_code"]), "058");
  EXPECT_EQ(str(a["bank_name"]), "Guaranty Trust Bank");
  EXPECT_EQ(str(a["account_number"]), "******6789");
  EXPECT_EQ(str(a["account_name"]), "OBI ADA CHIOMA") << "the name the bank resolved";
  EXPECT_TRUE(a["name_matches"].as_bool());
  EXPECT_TRUE(a["created_at"].is_string());
  EXPECT_EQ(saved->body.find("0123456789"), std::string::npos) << "never the whole number";
  const auto resolves = m.paystack().count_requests("/bank/resolve");
  const auto all = boost::json::parse(m.paystack().requests_json()).as_array();
  for (const auto& r : all) {
    if (str(r.as_object().at("path")).rfind("/bank/resolve", 0) == 0) {
      EXPECT_EQ(str(r.as_object().at("authorization")), "Bearer " + kPaystackSecret);
    }
  }

  // Saving it again finds it (200, same id) without asking Paystack.
  auto again = save(m, token, "058", "0123456789");
  ASSERT_TRUE(again && again->status == 200) << (again ? again->body : "");
  EXPECT_EQ(str(json_of(*again)["id"]), id);
  EXPECT_EQ(m.paystack().count_requests("/bank/resolve"), resolves);

  // PAYOUT_ACCOUNTS_MAX is 2 here.
  m.paystack().set_resolvable("057", "1111111111", "OBI ADA");
  m.paystack().set_resolvable("033", "2222222222", "OBI ADA");
  auto second = save(m, token, "057", "1111111111");
  ASSERT_TRUE(second && second->status == 201) << (second ? second->body : "");
  auto third = save(m, token, "033", "2222222222");
  ASSERT_TRUE(third && third->status == 422) << (third ? third->body : "");
  EXPECT_EQ(code_of(*third), "payout_account_limit_reached");
  auto listed = json_of(*m.get_auth(kAccounts, token))["data"].as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(str(listed[0].as_object().at("id")), id);
  EXPECT_EQ(str(listed[0].as_object().at("account_number")), "******6789");
  EXPECT_EQ(str(listed[1].as_object().at("account_number")), "******1111");

  // Another player sees none of them and cannot remove them.
  const auto stranger = m.user("stranger@example.ng");
  EXPECT_EQ(live_accounts(m, stranger), 0u);
  auto theirs = m.call("DELETE", kAccounts + "/" + id, {}, stranger);
  ASSERT_TRUE(theirs && theirs->status == 404) << (theirs ? theirs->body : "");
  EXPECT_EQ(live_accounts(m, token), 2u);

  auto removed = m.call("DELETE", kAccounts + "/" + id, {}, token);
  ASSERT_TRUE(removed && removed->status == 200) << (removed ? removed->body : "");
  EXPECT_EQ(live_accounts(m, token), 1u);
  EXPECT_EQ(m.call("DELETE", kAccounts + "/" + id, {}, token)->status, 404) << "removed already";
  EXPECT_EQ(m.call("DELETE", kAccounts + "/pa_nothing", {}, token)->status, 404);

  // Paystack down: 503, nothing stored.
  m.paystack().set_mode("down");
  auto down = save(m, token, "033", "2222222222");
  ASSERT_TRUE(down && down->status == 503) << (down ? down->body : "");
  EXPECT_EQ(code_of(*down), "account_resolution_unavailable");
  EXPECT_EQ(live_accounts(m, token), 1u);
  m.paystack().set_mode("ok");
  // Saved again after removal: a new account (resolved again).
  auto readded = save(m, token, "058", "0123456789");
  ASSERT_TRUE(readded && readded->status == 201) << (readded ? readded->body : "");
  EXPECT_NE(str(json_of(*readded)["id"]), id);
  EXPECT_EQ(m.paystack().count_requests("/bank/resolve"), resolves + 3);
}

}  // namespace

TEST(PayoutAccounts, SavedListedAndRemoved) {
  Money m(Env{{"PAYOUT_ACCOUNTS_MAX", "2"}});
  save_list_and_remove(m);
}

TEST(PayoutAccounts, SavedListedAndRemovedPostgres) {
  PgServer pg;
  pg.create_database("payout");
  Money m(Env{{"DATABASE_URL", pg.url("payout")}, {"PAYOUT_ACCOUNTS_MAX", "2"}});
  save_list_and_remove(m);
}

namespace {

void withdrawals_to_saved_accounts(Money& m) {
  ASSERT_TRUE(m.server().started()) << m.server().stdout_text();
  const auto token = m.user("payee@example.ng");
  m.fund(token, 500000, "fund");
  const auto account = m.payout_account(token);
  auto withdraw = [&](std::int64_t amount, const std::string& key, const std::string& id) {
    return m.post("/api/v1/wallet/withdrawals", {{"amount", amount}, {"payout_account_id", id}}, token, key);
  };
  auto w1 = withdraw(10000, "wd-1", account);
  auto w2 = withdraw(20000, "wd-2", account);
  ASSERT_TRUE(w1 && w1->status == 201) << (w1 ? w1->body : "");
  ASSERT_TRUE(w2 && w2->status == 201) << (w2 ? w2->body : "");
  EXPECT_EQ(str(json_of(*w1)["status"]), "pending");
  EXPECT_EQ(str(json_of(*w1)["payout_account_id"]), account);
  EXPECT_EQ(str(json_of(*w1)["account_number"]), "******6789");
  EXPECT_EQ(str(json_of(*w1)["account_name"]), "OBI ADA");
  // One recipient for the account, created by its first withdrawal, used by both transfers.
  const auto recipients = bodies_to(m, "/transferrecipient");
  ASSERT_EQ(recipients.size(), 1u);
  EXPECT_EQ(recipients[0].at("account_number").as_string(), "0123456789");
  EXPECT_EQ(recipients[0].at("bank_code").as_string(), "058");
  EXPECT_EQ(recipients[0].at("name").as_string(), "OBI ADA");
  const auto transfers = bodies_to(m, "/transfer");
  ASSERT_EQ(transfers.size(), 2u);
  EXPECT_EQ(transfers[0].at("recipient"), transfers[1].at("recipient"));
  EXPECT_EQ(str(transfers[0].at("recipient")).rfind("RCP_", 0), 0u);

  // Someone else's account, and an unknown one: 404, nothing held.
  const auto other = m.user("other@example.ng");
  const auto others_account = m.payout_account(other, "9999999999");
  auto foreign = withdraw(10000, "wd-foreign", others_account);
  ASSERT_TRUE(foreign && foreign->status == 404) << (foreign ? foreign->body : "");
  EXPECT_EQ(code_of(*foreign), "payout_account_not_found");
  EXPECT_EQ(withdraw(10000, "wd-none", "pa_none")->status, 404);

  // A withdrawal in flight and one awaiting review when the account is removed both still pay to it.
  auto w3 = withdraw(30000, "wd-3", account);
  ASSERT_TRUE(w3 && w3->status == 201) << (w3 ? w3->body : "");
  ASSERT_EQ(m.call("DELETE", kAccounts + "/" + account, {}, token)->status, 200);
  auto gone = withdraw(10000, "wd-gone", account);
  ASSERT_TRUE(gone && gone->status == 404) << (gone ? gone->body : "");
  EXPECT_EQ(code_of(*gone), "payout_account_not_found");
  const auto ref3 = str(json_of(*w3)["reference"]);
  ASSERT_EQ(m.webhook(Money::transfer_event("transfer.success", ref3, 30000))->status, 200);
  auto seen = m.get_auth("/api/v1/wallet/withdrawals/" + str(json_of(*w3)["id"]), token);
  EXPECT_EQ(str(json_of(*seen)["status"]), "completed");
  EXPECT_EQ(bodies_to(m, "/transferrecipient").size(), 1u) << "still the account's one recipient";
  auto wallet = m.wallet(token);
  EXPECT_EQ(wallet["balance"].as_int64(), 500000 - 60000);
  EXPECT_EQ(wallet["pending_withdrawals"].as_int64(), 30000);
  EXPECT_EQ(m.verify_ledger(), 0);
}

}  // namespace

TEST(PayoutAccounts, WithdrawalsPayToASavedAccountThroughOneRecipient) {
  Money m;
  withdrawals_to_saved_accounts(m);
}

TEST(PayoutAccounts, WithdrawalsPayToASavedAccountThroughOneRecipientPostgres) {
  PgServer pg;
  pg.create_database("payout_withdrawals");
  Money m(Env{{"DATABASE_URL", pg.url("payout_withdrawals")}});
  withdrawals_to_saved_accounts(m);
}

TEST(PayoutAccounts, ANameMismatchWaitsForReviewAndTheApprovalPaysARemovedAccount) {
  Money m;
  ASSERT_TRUE(m.server().started());
  const auto admin = m.admin("payout.reviewer@example.ng");
  const auto token = m.user("mismatch@example.ng", "Ada Obi");
  m.fund(token, 100000, "fund");
  const auto account = m.payout_account(token, "0123456789", "058", "IBRAHIM MUSA");
  auto listed = json_of(*m.get_auth(kAccounts, token))["data"].as_array();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0].as_object().at("name_matches").as_bool());
  auto w = m.post("/api/v1/wallet/withdrawals", {{"amount", 40000}, {"payout_account_id", account}}, token, "wd-mm");
  ASSERT_TRUE(w && w->status == 201) << (w ? w->body : "");
  EXPECT_EQ(str(json_of(*w)["status"]), "awaiting_review");
  EXPECT_EQ(str(json_of(*w)["review_reason"]), "name_mismatch");
  EXPECT_EQ(bodies_to(m, "/transfer").size(), 0u) << "nothing sent before review";
  EXPECT_EQ(m.wallet(token)["pending_withdrawals"].as_int64(), 40000);
  // Removed while it waits; the reviewer's approval still pays to it.
  ASSERT_EQ(m.call("DELETE", kAccounts + "/" + account, {}, token)->status, 200);
  auto approved = m.post("/api/v1/admin/withdrawals/" + str(json_of(*w)["id"]) + "/approve", {}, admin, "");
  ASSERT_TRUE(approved && approved->status == 200) << (approved ? approved->body : "");
  EXPECT_EQ(str(json_of(*approved)["status"]), "pending");
  const auto recipients = bodies_to(m, "/transferrecipient");
  ASSERT_EQ(recipients.size(), 1u);
  EXPECT_EQ(recipients[0].at("name").as_string(), "IBRAHIM MUSA");
  EXPECT_EQ(bodies_to(m, "/transfer").size(), 1u);
  EXPECT_EQ(m.verify_ledger(), 0);
}

TEST(PayoutAccounts, ANameMismatchIsRefusedWhenConfigured) {
  Money m(Env{{"PAYOUT_NAME_MISMATCH", "refuse"}});
  ASSERT_TRUE(m.server().started());
  const auto token = m.user("refused@example.ng", "Ada Obi");
  m.paystack().set_resolvable("058", "0123456789", "IBRAHIM MUSA");
  auto r = save(m, token, "058", "0123456789");
  ASSERT_TRUE(r && r->status == 422) << (r ? r->body : "");
  EXPECT_EQ(code_of(*r), "payout_name_mismatch");
  EXPECT_EQ(live_accounts(m, token), 0u);
  // The player's own account (the bank writes the surname first) is saved and paid to at once.
  m.paystack().set_resolvable("057", "1111111111", "OBI ADA NGOZI");
  auto own = save(m, token, "057", "1111111111");
  ASSERT_TRUE(own && own->status == 201) << (own ? own->body : "");
  m.fund(token, 50000, "fund");
  auto w = m.post("/api/v1/wallet/withdrawals", {{"amount", 20000}, {"payout_account_id", str(json_of(*own)["id"])}},
                  token, "wd-own");
  ASSERT_TRUE(w && w->status == 201) << (w ? w->body : "");
  EXPECT_EQ(str(json_of(*w)["status"]), "pending");
  EXPECT_EQ(m.verify_ledger(), 0);
}
