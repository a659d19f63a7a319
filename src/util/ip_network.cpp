#include "util/ip_network.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace b2w {
namespace {

constexpr std::array<std::uint8_t, 12> kV4MappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  // Long enough for any IPv6 literal with an embedded IPv4 part; inet_pton needs a terminated string.
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof buf) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress a;
  // inet_pton is strict: dotted quad only for IPv4 (no "1.2.3" or hex), no zone ids for IPv6.
  if (text.find(':') == std::string_view::npos) {
    in_addr v4{};
    if (inet_pton(AF_INET, buf, &v4) != 1) return std::nullopt;
    std::memcpy(a.bytes.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size());
    std::memcpy(a.bytes.data() + 12, &v4, 4);
    a.v4 = true;
    return a;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, buf, &v6) != 1) return std::nullopt;
  std::memcpy(a.bytes.data(), &v6, 16);
  a.v4 = std::memcmp(a.bytes.data(), kV4MappedPrefix.data(), kV4MappedPrefix.size()) == 0;
  return a;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  const bool ok = v4 ? inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf) != nullptr
                     : inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf) != nullptr;
  return ok ? std::string(buf) : std::string();
}

bool IpNetwork::contains(const IpAddress& address) const {
  if (address.v4 != base.v4) return false;
  // Compare the prefix's bits of the 128-bit form (an IPv4 prefix starts after the 96-bit mapping).
  const int bits = (base.v4 ? 96 : 0) + prefix;
  const int whole = bits / 8;
  if (std::memcmp(address.bytes.data(), base.bytes.data(), static_cast<std::size_t>(whole)) != 0) return false;
  if (bits % 8 == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits % 8));
  return (address.bytes[static_cast<std::size_t>(whole)] & mask) ==
         (base.bytes[static_cast<std::size_t>(whole)] & mask);
}

std::string IpNetwork::to_string() const {
  return base.to_string() + "/" + std::to_string(prefix);
}

std::optional<IpNetwork> parse_network(std::string_view text) {
  const auto slash = text.find('/');
  auto address = parse_ip(text.substr(0, slash));
  if (!address) return std::nullopt;
  const int max_prefix = address->v4 ? 32 : 128;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > max_prefix)
      return std::nullopt;
  }
  IpNetwork network{*address, prefix};
  // The base with its host bits cleared must be the address given.
  IpAddress cleared = *address;
  const int bits = (address->v4 ? 96 : 0) + prefix;
  for (int bit = bits; bit < 128; ++bit)
    cleared.bytes[static_cast<std::size_t>(bit / 8)] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
  if (!(cleared == *address)) return std::nullopt;
  return network;
}

std::vector<IpNetwork> parse_network_list(std::string_view text, std::vector<std::string>& problems) {
  std::vector<IpNetwork> out;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto comma = text.find(',', pos);
    const auto entry = trim(text.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos));
    if (!entry.empty()) {
      if (auto network = parse_network(entry))
        out.push_back(*network);
      else
        problems.push_back(std::string(entry));
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return out;
}

bool in_any(const std::vector<IpNetwork>& networks, std::string_view address_text) {
  const auto address = parse_ip(address_text);
  return address && std::any_of(networks.begin(), networks.end(),
                                [&](const IpNetwork& network) { return network.contains(*address); });
}

}  // namespace b2w
