#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// IP address literals and CIDR blocks (IPv4 and IPv6): pure, no I/O, no name resolution.
namespace b2w {

// An address as 16 bytes; IPv4 (and IPv4-mapped IPv6, ::ffff:a.b.c.d) is held mapped, so the
// two spellings of one IPv4 peer compare equal.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;

  // The canonical text: dotted quad for IPv4, RFC 5952 for IPv6.
  std::string to_string() const;
  bool operator==(const IpAddress&) const = default;
};

// A literal only: "41.58.1.2", "2001:db8::1". No ports, brackets, zone ids ("%eth0"), names or
// legacy forms inet_aton accepts ("1.2.3", "0x7f.1"); nullopt for anything else.
std::optional<IpAddress> parse_ip(std::string_view text);

struct IpNetwork {
  IpAddress base;  // host bits cleared
  int prefix = 0;  // in bits of the address's own family (0..32 for IPv4, 0..128 for IPv6)

  bool contains(const IpAddress& address) const;
  std::string to_string() const;
};

// "10.0.0.0/16", "::1/128", or a bare address (a single host). Host bits set below the prefix
// ("10.0.0.1/16") are refused: that is usually a typo for another network.
std::optional<IpNetwork> parse_network(std::string_view text);

// A comma-separated list of networks (spaces allowed; empty = none). Each entry that is not a
// network is named in `problems`.
std::vector<IpNetwork> parse_network_list(std::string_view text, std::vector<std::string>& problems);

// Whether `address_text` is an IP literal inside one of `networks`: the one test of a source allowlist
// (a client address that is not a literal, e.g. a Unix socket's empty text, is in none).
bool in_any(const std::vector<IpNetwork>& networks, std::string_view address_text);

}  // namespace b2w
