#include "http/request_identity.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace b2w::http {
namespace {

bool is_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == ':';
}

bool is_sane_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!is_token_char(c)) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string generate_request_id() {
  // Request ids need uniqueness, not secrecy (a client may choose its own): a per-thread counter
  // through a bijective mix (the SplitMix64 finalizer) under per-thread keys from the OS. A thread
  // never repeats an id; ids of two threads or processes meet by a 2^-128 chance per pair.
  // A third of the cost of a Mersenne Twister.
  struct Sequence {
    std::uint64_t key_high = 0, key_low = 0, count = 0;
  };
  thread_local Sequence sequence = [] {
    std::random_device os;
    const auto draw = [&os] { return std::uint64_t{os()} << 32 | os(); };
    return Sequence{draw(), draw(), 0};
  }();
  const auto mix = [](std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  const std::uint64_t n = ++sequence.count;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  std::uint64_t halves[2] = {mix(n ^ sequence.key_high), mix(n + sequence.key_low)};
  for (std::size_t half = 0; half < 2; ++half)
    for (std::size_t i = 0; i < 16; ++i) id[half * 16 + i] = kHex[(halves[half] >> (60 - 4 * i)) & 0xf];
  return id;
}

std::string request_id_from(std::string_view x_request_id, std::string_view amzn_trace_id) {
  x_request_id = trim(x_request_id);
  if (is_sane_id(x_request_id)) return std::string(x_request_id);
  // "Root=1-67891233-abcdef012345678912345678;Parent=...;Sampled=1"
  std::size_t pos = 0;
  while (pos < amzn_trace_id.size()) {
    auto end = amzn_trace_id.find(';', pos);
    auto part = trim(amzn_trace_id.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (part.substr(0, 5) == "Root=" && is_sane_id(part.substr(5))) return std::string(part.substr(5));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return generate_request_id();
}

bool ProxyTrust::trusts(const IpAddress& address) const {
  for (const auto& network : proxies)
    if (network.contains(address)) return true;
  return false;
}

std::string client_ip_from(std::string_view xff, std::string_view peer_ip, const ProxyTrust& trust) {
  if (trust.proxies.empty() || trust.max_hops <= 0) return std::string(peer_ip);
  auto client = parse_ip(peer_ip);
  if (!client) return std::string(peer_ip);
  int hops = 0;
  // Right to left: each entry was appended by the hop to its right, which we trust so far.
  while (hops < trust.max_hops && trust.trusts(*client)) {
    xff = trim(xff);
    if (xff.empty()) break;
    const auto comma = xff.rfind(',');
    const auto entry = trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
    auto address = parse_ip(entry);
    if (!address) break;  // garbage: keep the last address a trusted hop vouched for
    client = address;
    ++hops;
    xff = comma == std::string_view::npos ? std::string_view() : xff.substr(0, comma);
  }
  return client->to_string();
}

}  // namespace b2w::http
