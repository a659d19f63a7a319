#include "http/request_identity.hpp"

#include <array>
#include <cstdint>
#include <random>
#include <vector>

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

std::string client_ip_from(std::string_view xff, std::string_view peer_ip, int trusted_hops) {
  if (trusted_hops <= 0 || trim(xff).empty()) return std::string(peer_ip);
  std::vector<std::string_view> hops;
  std::size_t pos = 0;
  for (;;) {
    auto comma = xff.find(',', pos);
    auto part = trim(xff.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    if (!part.empty()) hops.push_back(part);
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  if (hops.empty()) return std::string(peer_ip);
  // Entries left of what our trusted proxies appended are client-controlled: never trust them.
  const std::size_t n = static_cast<std::size_t>(trusted_hops);
  const auto chosen = hops.size() >= n ? hops[hops.size() - n] : hops.front();
  for (char c : chosen)
    if (!(is_token_char(c) || c == '[' || c == ']')) return std::string(peer_ip);
  return std::string(chosen.substr(0, 64));
}

}  // namespace b2w::http
