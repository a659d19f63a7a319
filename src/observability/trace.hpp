#pragma once
#include <string>
#include <string_view>

// The request's trace across the ALB and our providers: AWS's X-Amzn-Trace-Id (the ALB adds one to every request)
// and W3C's traceparent when a client or a proxy sent one. Its id goes on the request's log lines (`trace_id`) and
// error reports; the headers it came with go on the responses and on every outbound call made for the request.
namespace b2w::trace {

struct Trace {
  std::string id;           // the Root of X-Amzn-Trace-Id ("1-67891233-abcdef012345678912345678"), else the
                            // trace-id of traceparent (32 hex digits); empty: the request came with no trace
  std::string amzn;         // X-Amzn-Trace-Id as it came, when well-formed (else empty)
  std::string traceparent;  // traceparent as it came, when well-formed (else empty)
  bool empty() const { return id.empty(); }
};

// The trace of a request's headers. A header that is malformed or longer than kMaxHeader is ignored (never
// repaired, never echoed): only the forms below are taken, so whatever is logged or passed on is plain token text.
//   X-Amzn-Trace-Id: Root=1-<8 hex>-<24 hex>[;Parent=<16 hex>][;Sampled=<0|1|?>][;Self=...][;<key>=<token>]...
//   traceparent:     <2 hex version, not ff>-<32 hex, not all 0>-<16 hex, not all 0>-<2 hex flags>
inline constexpr std::size_t kMaxHeader = 256;
Trace from_headers(std::string_view amzn_trace_id, std::string_view traceparent);

// The trace of the request whose code runs on this thread now: set by a Scope around each step of a request's
// handler (the pipeline runs the handler on an executor that does so, http/pipeline.cpp), read by outbound calls
// (net::HttpClient adds the headers). Null outside a request.
const Trace* current();

class Scope {
 public:
  explicit Scope(const Trace* trace);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  const Trace* previous_;
};

}  // namespace b2w::trace
