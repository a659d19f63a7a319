#pragma once
// The trading feed's wire for tests (POST /feed/messages): the signature, computed with OpenSSL apart from the
// service's own code (util/digest), and the messages' common parts. Shared by the feed and in-play tests.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

namespace b2w::test {

// X-Feed-Signature: the hex HMAC-SHA-256 of the body with the feed's secret.
inline std::string feed_signature(const std::string& secret, const std::string& body) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), mac, &size);
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += digits[mac[i] >> 4];
    hex += digits[mac[i] & 15];
  }
  return hex;
}

// A message's header: its type, the provider's event id, a timestamp that follows the sequence.
inline boost::json::object feed_head(const std::string& type, const std::string& event, std::int64_t sequence) {
  return boost::json::object{
      {"type", type}, {"event_id", event}, {"timestamp", 1'700'000'000'000 + sequence}, {"sequence", sequence}};
}

// An outcome of an odds_change market: its provider id, odds, and a name when the market is new.
inline boost::json::object feed_outcome(const std::string& id, const std::string& odds, const std::string& name = "") {
  boost::json::object o{{"id", id}, {"odds", odds}};
  if (!name.empty()) o["name"] = name;
  return o;
}

}  // namespace b2w::test
