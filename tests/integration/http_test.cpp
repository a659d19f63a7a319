// The HTTP server as a client sees it: health-check, errors, keep-alive, pipelining, limits.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <thread>

#include "harness.hpp"

using namespace b2w::test;
using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

boost::json::object json_of(const HttpResponse& r) {
  return boost::json::parse(r.body).as_object();
}

void expect_error_shape(const HttpResponse& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status);
  EXPECT_EQ(r.header("content-type"), "application/json");
  auto body = json_of(r);
  ASSERT_TRUE(body.contains("error")) << r.body;
  auto& err = body["error"].as_object();
  EXPECT_EQ(err["code"].as_string(), code) << r.body;
  EXPECT_FALSE(err["message"].as_string().empty());
  EXPECT_EQ(err["request_id"].as_string(), r.header("x-request-id"));
}

class Http : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new ServerProcess(Env{{"HEADER_TIMEOUT", "1s"}, {"BODY_TIMEOUT", "1s"}}); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(server_->started()) << server_->stderr_text() << server_->stdout_text(); }
  static int port() { return server_->port(); }
  static ServerProcess* server_;
};
ServerProcess* Http::server_ = nullptr;

}  // namespace

TEST_F(Http, HealthCheckGet) {
  auto r = get(port(), "/api/v1/health-check");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("content-type"), "application/json");
  EXPECT_FALSE(r->header("x-request-id").empty());
  auto body = json_of(*r);
  EXPECT_EQ(body["status"].as_string(), "ok");
  EXPECT_FALSE(body["version"].as_string().empty());
  EXPECT_GE(body["uptime_seconds"].as_int64(), 0);
  EXPECT_TRUE(body["checks"].is_object());
}

TEST_F(Http, HealthCheckHeadHasLengthButNoBody) {
  Client c(port());
  auto head = c.request("HEAD", "/api/v1/health-check");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_GT(std::stoi(head->header("content-length")), 10);
  // The next response on the same connection parses cleanly: no stray body bytes were sent.
  auto next = c.request("GET", "/api/v1/health-check");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
  // The lengths themselves may differ: the background dependency checks can land between the two.
  EXPECT_EQ(std::to_string(next->body.size()), next->header("content-length"));
  EXPECT_EQ(json_of(*next)["status"].as_string(), "ok");
}

TEST_F(Http, RequestIdIsReusedOrDerivedFromTheAlbTrace) {
  auto reused = get(port(), "/api/v1/health-check", {{"X-Request-Id", "req-abc-123"}});
  ASSERT_TRUE(reused);
  EXPECT_EQ(reused->header("x-request-id"), "req-abc-123");
  auto traced =
      get(port(), "/api/v1/nope", {{"X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"}});
  ASSERT_TRUE(traced);
  EXPECT_EQ(traced->header("x-request-id"), "1-5759e988-bd862e3fe1be46a994272793");
  expect_error_shape(*traced, 404, "not_found");
}

TEST_F(Http, NotFoundShape) {
  auto r = get(port(), "/api/v1/no/such/thing?x=1");
  ASSERT_TRUE(r);
  expect_error_shape(*r, 404, "not_found");
}

TEST_F(Http, MethodNotAllowedWithAllow) {
  Client c(port());
  auto r = c.request("DELETE", "/api/v1/health-check");
  ASSERT_TRUE(r);
  expect_error_shape(*r, 405, "method_not_allowed");
  EXPECT_EQ(r->header("allow"), "GET, HEAD");
  auto post = c.request("POST", "/api/v1/health-check", {}, "{}");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
}

TEST_F(Http, PipelinedRequestsAreAnsweredInOrder) {
  Client c(port());
  std::string batch;
  for (int i = 0; i < 20; ++i)
    batch += "GET " + std::string(i % 3 == 1 ? "/api/v1/missing" : "/api/v1/health-check") +
             " HTTP/1.1\r\nHost: x\r\nX-Request-Id: pipe-" + std::to_string(i) + "\r\n\r\n";
  ASSERT_TRUE(c.send(batch));
  for (int i = 0; i < 20; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->header("x-request-id"), "pipe-" + std::to_string(i));
    EXPECT_EQ(r->status, i % 3 == 1 ? 404 : 200);
  }
}

// A client that half-closes after its request gets its answer, and the connection then closes
// soon: the FIN comes with the request, so the server learns of it from its idle sweep (a short
// read raises no further event), well before the 65 s keep-alive timeout.
TEST_F(Http, AHalfClosedClientIsAnsweredThenClosedSoon) {
  for (int round = 0; round < 5; ++round) {
    Client c(port());
    ASSERT_TRUE(c.send("GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\n\r\n"));
    c.shutdown_send();
    auto r = c.read_response();
    ASSERT_TRUE(r) << round;
    EXPECT_EQ(r->status, 200);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.closed_by_peer(3s)) << "round " << round << ": still open after 3 s";
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
  }
}

TEST_F(Http, ThousandKeepAliveRequestsOnOneConnection) {
  Client c(port());
  for (int i = 0; i < 1000; ++i) {
    auto r = c.request("GET", "/api/v1/health-check");
    ASSERT_TRUE(r) << "request " << i;
    ASSERT_EQ(r->status, 200);
    ASSERT_NE(r->header("connection"), "close");
  }
}

TEST_F(Http, OversizedHeadersGet431AndClose) {
  Client c(port());
  ASSERT_TRUE(
      c.send("GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(17 * 1024, 'a') + "\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  expect_error_shape(*r, 431, "header_too_large");
  EXPECT_TRUE(c.closed_by_peer(3s));
}

// Beast's own limit counts only the header bytes it has not consumed yet: a long header made of
// many short fields must be refused all the same, whether it arrives at once or in pieces.
TEST_F(Http, ManyShortFieldsOverTheLimitGet431) {
  for (const bool in_pieces : {false, true}) {
    Client c(port());
    std::string req = "GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; req.size() < 20 * 1024; ++i)
      req += "X-F" + std::to_string(i) + ": " + std::string(200, 'v') + "\r\n";
    req += "\r\n";
    if (in_pieces) {
      for (std::size_t at = 0; at < req.size(); at += 1000) {
        if (!c.send(req.substr(at, 1000))) break;
        std::this_thread::sleep_for(1ms);
      }
    } else {
      ASSERT_TRUE(c.send(req));
    }
    auto r = c.read_response();
    ASSERT_TRUE(r) << in_pieces;
    expect_error_shape(*r, 431, "header_too_large");
  }
}

// A chunked body's trailer (or a chunk-extension line) that never ends is cut off at the header
// limit, not buffered until the body timeout.
TEST_F(Http, EndlessChunkTrailerIsRefusedEarly) {
  Client c(port());
  ASSERT_TRUE(c.send("POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"));
  std::string junk;
  while (junk.size() < 64 * 1024) junk += "X-Trailer: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
  c.send(junk);  // the server may close while this is in flight
  auto r = c.read_response();
  ASSERT_TRUE(r);
  expect_error_shape(*r, 413, "payload_too_large");
  EXPECT_TRUE(c.closed_by_peer(3s));
}

TEST_F(Http, HeadersJustUnderTheLimitAreFine) {
  auto r = get(port(), "/api/v1/health-check", {{"X-Big", std::string(15 * 1024, 'a')}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(Http, OversizedBodyByContentLengthGets413AndClose) {
  Client c(port());
  ASSERT_TRUE(c.send("POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n" +
                     std::string(64 * 1024, 'x')));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  expect_error_shape(*r, 413, "payload_too_large");
  EXPECT_TRUE(c.closed_by_peer(3s));
}

TEST_F(Http, OversizedChunkedBodyGets413) {
  Client c(port());
  std::string req = "POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  ASSERT_TRUE(c.send(req));
  const std::string chunk(256 * 1024, 'y');
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  for (int i = 0; i < 5; ++i)
    if (!c.send(size_line + chunk + "\r\n")) break;
  auto r = c.read_response();
  ASSERT_TRUE(r);
  expect_error_shape(*r, 413, "payload_too_large");
}

TEST_F(Http, MalformedRequestsGet400AndClose) {
  for (const std::string& bad :
       std::vector<std::string>{"GARBAGE\r\n\r\n", "GET /api/v1/health-check HTTP/9.9\r\n\r\n",
                                "GET /api/v1/health-check HTTP/1.1\r\nNo colon here\r\n\r\n",
                                "GET /api/v1/health-check HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                                "GET /api/v1/health-check HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                                "GET /api/v1/\0health HTTP/1.1\r\n\r\n"s}) {
    Client c(port());
    ASSERT_TRUE(c.send(bad));
    auto r = c.read_response();
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_TRUE(c.closed_by_peer(3s)) << bad;
  }
}

TEST_F(Http, RelativeTargetIs400) {
  Client c(port());
  auto r = c.request("GET", "api/v1/health-check");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(Http, SlowHeadersAreCutOffWhileOthersAreServed) {
  Client slow(port());
  ASSERT_TRUE(slow.send("GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\n"));
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    auto r = get(port(), "/api/v1/health-check");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    slow.send("X-Drip: 1\r\n");  // still dripping: the header timeout counts from the first byte
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(slow.closed_by_peer(3s));
  const auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, 900ms);
  EXPECT_LT(waited, 2500ms);
}

TEST_F(Http, Http10ClosesAfterTheResponse) {
  Client c(port());
  ASSERT_TRUE(c.send("GET /api/v1/health-check HTTP/1.0\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(c.closed_by_peer(3s));
}

TEST_F(Http, ConnectionCloseIsHonoured) {
  Client c(port());
  auto r = c.request("GET", "/api/v1/health-check", {{"Connection", "close"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer(3s));
}

TEST_F(Http, ExpectContinueGetsAnInterimResponse) {
  Client c(port());
  ASSERT_TRUE(
      c.send("POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = c.read_response(true);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.send("{}"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
}

TEST_F(Http, DocsPageDocumentAndAssets) {
  auto page = get(port(), "/api/v1/docs");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(page->body.find("/api/v1/docs/swagger-ui-bundle.js"), std::string::npos);
  auto doc = get(port(), "/api/v1/docs/openapi.json");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->status, 200);
  auto json = json_of(*doc);
  EXPECT_EQ(json["servers"].as_array()[0].as_object()["url"].as_string(), "/api/v1");
  EXPECT_TRUE(json["paths"].as_object().contains("/health-check"));
  auto js = get(port(), "/api/v1/docs/swagger-ui-bundle.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_GT(js->body.size(), 100000u);
  // The vendored assets are read on their first request: byte for byte the installed files, every time.
  const auto docs_dir = std::filesystem::path(B2W_BINARY).parent_path() / "docs";
  for (const std::string name : {"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"}) {
    std::ifstream in(docs_dir / name, std::ios::binary);
    const std::string on_disk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(on_disk.empty()) << name;
    for (int i = 0; i < 2; ++i) {
      auto asset = get(port(), "/api/v1/docs/" + name);
      ASSERT_TRUE(asset);
      EXPECT_EQ(asset->status, 200) << name;
      EXPECT_TRUE(asset->body == on_disk) << name;
    }
  }
  auto missing = get(port(), "/api/v1/docs/../../etc/passwd");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto unknown = get(port(), "/api/v1/docs/secrets.txt");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

// The back-office console (built into console/ beside the binary): its page under a strict CSP and never cached,
// its content-hashed assets cached for a year, its own routes answered with the page, unknown assets 404.
TEST_F(Http, ConsolePageAssetsAndRoutes) {
  auto page = get(port(), "/api/v1/console");
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_NE(page->header("content-type").find("text/html"), std::string::npos);
  EXPECT_EQ(page->header("cache-control"), "no-cache");
  const auto csp = page->header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("style-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("http"), std::string::npos) << "no other origin: " << csp;
  EXPECT_EQ(page->header("x-content-type-options"), "nosniff");
  // Nothing inline: every script and stylesheet is a file of ours.
  EXPECT_EQ(page->body.find("<script>"), std::string::npos);
  EXPECT_EQ(page->body.find("<style"), std::string::npos);
  EXPECT_NE(page->body.find(R"(<meta name="b2w-api" content="/api/v1">)"), std::string::npos);

  // The page names its assets by hash: each is served with a year's cache and its type.
  const std::string prefix = "/api/v1/console/assets/";
  std::vector<std::string> assets;
  for (auto at = page->body.find(prefix); at != std::string::npos; at = page->body.find(prefix, at + 1))
    assets.push_back(page->body.substr(at, page->body.find('"', at) - at));
  ASSERT_EQ(assets.size(), 2u) << page->body;
  for (const auto& path : assets) {
    auto asset = get(port(), path);
    ASSERT_TRUE(asset);
    EXPECT_EQ(asset->status, 200) << path;
    EXPECT_EQ(asset->header("cache-control"), "public, max-age=31536000, immutable") << path;
    EXPECT_NE(asset->header("content-security-policy").find("default-src 'none'"), std::string::npos);
    const bool script = path.ends_with(".js");
    EXPECT_NE(asset->header("content-type").find(script ? "text/javascript" : "text/css"), std::string::npos) << path;
    EXPECT_GT(asset->body.size(), 500u) << path;
  }

  // The app's own routes (history API) answer the page itself, so a reload or a shared link works.
  for (const std::string route :
       {"/api/v1/console/events", "/api/v1/console/events/evt_0123", "/api/v1/console/signin"}) {
    auto r = get(port(), route);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200) << route;
    EXPECT_EQ(r->header("cache-control"), "no-cache") << route;
    EXPECT_TRUE(r->body == page->body) << route;
  }
  // An asset that is not there is a 404 in the API's error shape, never the page.
  for (const std::string missing : {"/api/v1/console/assets/app-NOTTHERE.js", "/api/v1/console/assets/x/y",
                                    "/api/v1/console/assets/../index.html"}) {
    auto r = get(port(), missing);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << missing;
    EXPECT_NE(r->body.find("\"code\":\"not_found\""), std::string::npos) << missing << " " << r->body;
  }
}

TEST_F(Http, LargeResponsesToASlowReaderArriveWholeAndInOrder) {
  // A small receive buffer and no reading for a while: the server's writes cannot complete at
  // once and must wait for the socket; the pipelined responses still arrive whole and in order.
  const auto docs_dir = std::filesystem::path(B2W_BINARY).parent_path() / "docs";
  std::ifstream in(docs_dir / "swagger-ui-bundle.js", std::ios::binary);
  const std::string bundle((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bundle.size(), 100000u);
  Client c(port(), 10s, 4096);
  ASSERT_TRUE(c.connected());
  std::string pipelined;
  for (int i = 0; i < 3; ++i) pipelined += "GET /api/v1/docs/swagger-ui-bundle.js HTTP/1.1\r\nHost: x\r\n\r\n";
  pipelined += "GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_TRUE(c.send(pipelined));
  std::this_thread::sleep_for(300ms);
  for (int i = 0; i < 3; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(r->body == bundle) << i << ": " << r->body.size() << " bytes";
  }
  auto health = c.read_response();
  ASSERT_TRUE(health);
  EXPECT_EQ(json_of(*health)["status"].as_string(), "ok");
}

TEST_F(Http, ManyConcurrentClients) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 16; ++t)
    threads.emplace_back([&] {
      Client c(port());
      for (int i = 0; i < 50; ++i) {
        auto r = c.request("GET", "/api/v1/health-check");
        if (r && r->status == 200) ok.fetch_add(1);
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 16 * 50);
}

TEST_F(Http, RandomGarbageNeverTakesTheServerDown) {
  std::mt19937 rng(20261125);
  std::uniform_int_distribution<int> byte(0, 255), len(1, 3000);
  const std::string prefixes[] = {"", "GET ", "POST /api/v1/auth/login HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: x\r\n"};
  for (int i = 0; i < 300; ++i) {
    Client c(port(), 2s);
    std::string junk = prefixes[i % 4];
    const int n = len(rng);
    for (int k = 0; k < n; ++k) junk += static_cast<char>(byte(rng));
    if (i % 5 == 0) junk += "\r\n\r\n";
    c.send(junk);
    c.closed_by_peer(i % 10 == 0 ? 1500ms : 50ms);
  }
  auto r = get(port(), "/api/v1/health-check");
  ASSERT_TRUE(r) << "the server died";
  EXPECT_EQ(r->status, 200);
}

// Strict framing (RFC 9112): a request whose end two readers could place differently is answered
// 400 and its connection closed at once, so bytes a proxy took for its body are never read here as a
// request of their own (request smuggling). Each case sends a request smuggled right behind it.
namespace {

void expect_refused_and_closed(int port, const std::string& request) {
  Client c(port);
  ASSERT_TRUE(c.connected());
  const std::string smuggled = "GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\nX-Request-Id: smuggled\r\n\r\n";
  ASSERT_TRUE(c.send(request + smuggled)) << request;
  auto r = c.read_response();
  ASSERT_TRUE(r) << request;
  expect_error_shape(*r, 400, "bad_request");
  EXPECT_EQ(r->header("connection"), "close") << request;
  const auto rest = c.rest_until_closed(3s);
  ASSERT_TRUE(rest) << "still open after: " << request;
  EXPECT_EQ(*rest, "") << "the smuggled request was answered after: " << request;
}

}  // namespace

TEST_F(Http, TransferEncodingOtherThanChunkedIsRefused) {
  for (const std::string te : {"xchunked", "identity", "chunked, gzip", "gzip, chunked", "gzip"})
    expect_refused_and_closed(port(),
                              "POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + te + "\r\n\r\n");
  // Chunked given twice, in one field and in two.
  expect_refused_and_closed(port(),
                            "POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\n"
                            "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n");
  expect_refused_and_closed(port(),
                            "POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                            "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n");
}

TEST_F(Http, TransferEncodingOnHttp10IsRefused) {
  expect_refused_and_closed(port(),
                            "POST /api/v1/health-check HTTP/1.0\r\nConnection: keep-alive\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
}

TEST_F(Http, TransferEncodingWithContentLengthIsRefused) {
  // Content-Length after a Transfer-Encoding that is not chunked: the parser alone would go by the length.
  expect_refused_and_closed(port(),
                            "POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n"
                            "Content-Length: 0\r\n\r\n");
  expect_refused_and_closed(port(),
                            "POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
}

// Beast's parser refuses these on its own; kept so that stays true whatever the parser does next.
TEST_F(Http, ContentLengthsThatDisagreeOrAreNotDigitsAreRefused) {
  for (const std::string cl : {"Content-Length: 1\r\nContent-Length: 2", "Content-Length: 1, 2", "Content-Length: +1",
                               "Content-Length: 0x1", "Content-Length: 1 1"})
    expect_refused_and_closed(port(), "POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\n" + cl + "\r\n\r\nx");
}

TEST_F(Http, Http11WithoutHostIsRefused) {
  expect_refused_and_closed(port(), "GET /api/v1/health-check HTTP/1.1\r\n\r\n");
}

TEST_F(Http, TwoHostHeadersAreRefused) {
  expect_refused_and_closed(port(), "GET /api/v1/health-check HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  expect_refused_and_closed(port(), "GET /api/v1/health-check HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n");
  expect_refused_and_closed(port(), "GET /api/v1/health-check HTTP/1.1\r\nHost: a, b\r\n\r\n");
}

TEST_F(Http, ObsFoldIsRefused) {
  expect_refused_and_closed(port(), "GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\nX-Note: one\r\n two\r\n\r\n");
  expect_refused_and_closed(port(), "GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\nX-Note: one\r\n\ttwo\r\n\r\n");
  // Folding a framing field hides it from a reader that does not unfold.
  expect_refused_and_closed(port(),
                            "POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nX-Note: a\r\n"
                            " Content-Length: 0\r\n\r\n");
}

// The strict checks leave ordinary requests alone: HTTP/1.0 without Host, chunked bodies, and a
// repeated Content-Length that agrees, each followed by a request that is answered on the same connection.
TEST_F(Http, SoundFramingIsStillServed) {
  Client c(port());
  ASSERT_TRUE(
      c.send("POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             "2\r\n{}\r\n0\r\n\r\n"
             "POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}"
             "GET /api/v1/health-check HTTP/1.1\r\nHost: x\r\n\r\n"));
  for (const int status : {405, 405, 200}) {
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, status);
  }
  Client old(port());
  ASSERT_TRUE(old.send("GET /api/v1/health-check HTTP/1.0\r\n\r\n"));
  auto r = old.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

// Found by fuzzing (tests/fuzz/http_request_stream): a chunked body's trailer fields were merged into
// the request's fields after the framing check, so a trailer could add a second Host or set the
// X-Request-Id (or an Authorization, an X-Forwarded-For) that no proxy in front ever inspected.
TEST_F(Http, TrailerFieldsDoNotBecomeHeaderFields) {
  Client c(port());
  ASSERT_TRUE(
      c.send("POST /api/v1/health-check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             "2\r\n{}\r\n0\r\nX-Request-Id: from-the-trailer\r\nHost: other\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 405);
  EXPECT_NE(r->header("x-request-id"), "from-the-trailer");
  auto next = c.request("GET", "/api/v1/health-check");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}
