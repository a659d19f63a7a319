#include "observability/metrics.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <thread>
#include <vector>

using namespace b2w;
using namespace std::chrono_literals;

namespace {

boost::json::object take() {
  const auto line = metrics::take_emf("production", 1'764'000'000'000);
  return line.empty() ? boost::json::object{} : boost::json::parse(line).as_object();
}

std::int64_t total(const boost::json::array& counts) {
  std::int64_t n = 0;
  for (const auto& c : counts) n += c.as_int64();
  return n;
}

}  // namespace

TEST(Metrics, BucketsCoverEveryLatencyAndGrowByAQuarterOctave) {
  EXPECT_EQ(metrics::latency_bucket(-5), 0);
  EXPECT_EQ(metrics::latency_bucket(3), 3);
  int previous = metrics::latency_bucket(4);
  for (std::int64_t us = 5; us < 100'000'000; us += us / 7 + 1) {
    const int b = metrics::latency_bucket(us);
    EXPECT_GE(b, previous);
    previous = b;
    // The bucket's representative value is within its ~19% width of the latency.
    const double ms = static_cast<double>(us) / 1000;
    EXPECT_NEAR(metrics::bucket_value_ms(b), ms, ms * 0.2) << us;
  }
  EXPECT_LT(metrics::latency_bucket(INT64_MAX), 4 * 40);
}

TEST(Metrics, EmfLineCountsSinceTheLastLineFromEveryThread) {
  take();  // whatever earlier tests recorded
  EXPECT_TRUE(take().empty()) << "nothing recorded: no line";
  std::thread other([] {
    for (int i = 0; i < 100; ++i) metrics::record_request(200, 2ms);
  });
  other.join();  // a thread that has ended still counts
  metrics::record_request(404, 300us);
  metrics::record_request(500, 40ms);
  metrics::record_request(503, 1ms);
  metrics::add(metrics::Counter::service_unavailable);
  metrics::add(metrics::Counter::settlements_resumed, 2);
  metrics::add(metrics::Counter::feed_gaps, 4);
  metrics::add(metrics::Counter::payments_reconciled, 3);
  metrics::add(metrics::Counter::payment_reconciler_provider_failures);

  auto line = take();
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line["Environment"].as_string(), "production");
  EXPECT_EQ(line["Requests"].as_int64(), 103);
  EXPECT_EQ(line["ClientErrors"].as_int64(), 1);
  EXPECT_EQ(line["ServerErrors"].as_int64(), 1) << "a 503 is not counted as a server error";
  EXPECT_EQ(line["ServiceUnavailable"].as_int64(), 1);
  EXPECT_EQ(line["SettlementsResumed"].as_int64(), 2);
  EXPECT_EQ(line["SettlementResumerFailures"].as_int64(), 0);
  EXPECT_EQ(line["PaymentsReconciled"].as_int64(), 3);
  EXPECT_EQ(line["PaymentReconcilerProviderFailures"].as_int64(), 1);
  EXPECT_EQ(line["PaymentReconcilerFailures"].as_int64(), 0);
  EXPECT_EQ(line["FeedGaps"].as_int64(), 4);
  EXPECT_EQ(line["FeedDuplicates"].as_int64(), 0);
  const auto& latency = line["Latency"].as_object();
  const auto& values = latency.at("Values").as_array();
  const auto& counts = latency.at("Counts").as_array();
  ASSERT_EQ(values.size(), counts.size());
  EXPECT_EQ(total(counts), 103);
  for (std::size_t i = 1; i < values.size(); ++i)
    EXPECT_LT(values[i - 1].to_number<double>(), values[i].to_number<double>());
  EXPECT_NEAR(values.back().to_number<double>(), 40.0, 8.0);

  // The EMF directive names every metric the line carries, in one namespace with one dimension set.
  const auto& aws = line["_aws"].as_object();
  EXPECT_EQ(aws.at("Timestamp").as_int64(), 1'764'000'000'000);
  const auto& directive = aws.at("CloudWatchMetrics").as_array().at(0).as_object();
  EXPECT_EQ(directive.at("Namespace").as_string(), "Bet2wealth");
  EXPECT_EQ(directive.at("Dimensions").as_array().at(0).as_array().at(0).as_string(), "Environment");
  for (const auto& m : directive.at("Metrics").as_array()) {
    const auto name = std::string(m.as_object().at("Name").as_string());
    EXPECT_TRUE(line.contains(name)) << name;
  }
  EXPECT_EQ(directive.at("Metrics").as_array().size(), 51u) << "50 counts and the latency; no gauge was observed";

  EXPECT_TRUE(take().empty()) << "everything was taken";
  metrics::record_request(201, 1ms);
  EXPECT_EQ(take()["Requests"].as_int64(), 1);
}

TEST(Metrics, WideLatencySpreadStaysWithinEmfsHundredValues) {
  take();
  for (std::int64_t us = 1; us < 4'000'000'000'000; us = us * 21 / 20 + 1)
    metrics::record_request(200, std::chrono::microseconds(us));
  auto line = take();
  const auto& latency = line["Latency"].as_object();
  EXPECT_LE(latency.at("Values").as_array().size(), 100u);
  EXPECT_EQ(total(latency.at("Counts").as_array()), line["Requests"].as_int64());
}

TEST(Metrics, BusinessCountersCarryTheirUnitsAndGgrIsSettledStakeLessPayout) {
  take();
  metrics::add(metrics::Counter::bets_settled, 3);
  metrics::add(metrics::Counter::bets_settled_stake, 30'000);
  metrics::add(metrics::Counter::bets_settled_payout, 41'000);
  metrics::add(metrics::Counter::database_pool_wait_us, 1'500);
  std::thread other([] { metrics::add(metrics::Counter::bets_settled_stake, 2'000); });
  other.join();
  auto line = take();
  EXPECT_EQ(line["BetsSettled"].as_int64(), 3);
  EXPECT_EQ(line["BetsSettledStake"].as_int64(), 32'000);
  EXPECT_EQ(line["GGR"].as_int64(), -9'000) << "a losing interval for the house is negative";
  EXPECT_EQ(line["DatabasePoolWaitTime"].as_int64(), 1'500);
  EXPECT_EQ(line["Requests"].as_int64(), 0);
  std::map<std::string, std::string> units;
  for (const auto& m : line["_aws"].as_object()["CloudWatchMetrics"].as_array()[0].as_object()["Metrics"].as_array())
    units[std::string(m.as_object().at("Name").as_string())] = std::string(m.as_object().at("Unit").as_string());
  EXPECT_EQ(units["BetsSettled"], "Count");
  EXPECT_EQ(units["GGR"], "None");
  EXPECT_EQ(units["DatabasePoolWaitTime"], "Microseconds");
  EXPECT_FALSE(units.contains("SettlementLag")) << "a gauge not observed in the interval is left out";
}

TEST(Metrics, GaugesReportTheIntervalsHighestAndStartOverAfterEachLine) {
  take();
  metrics::observe(metrics::Gauge::settlement_lag_seconds, 0);
  EXPECT_EQ(take()["SettlementLag"].as_int64(), 0) << "an observed zero is a line of its own";
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t] {
      for (int i = 0; i < 1000; ++i) metrics::observe(metrics::Gauge::blocking_pool_queue_depth, t * 1000 + i);
    });
  for (auto& t : threads) t.join();
  metrics::observe(metrics::Gauge::reconciliation_lag_seconds, 90);
  metrics::observe(metrics::Gauge::reconciliation_lag_seconds, 30);
  auto line = take();
  EXPECT_EQ(line["BlockingPoolQueueDepth"].as_int64(), 3999);
  EXPECT_EQ(line["ReconciliationLag"].as_int64(), 90);
  EXPECT_FALSE(line.contains("SettlementLag"));
  EXPECT_TRUE(take().empty()) << "gauges start over: nothing observed since";
}
