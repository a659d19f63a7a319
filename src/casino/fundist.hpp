#pragma once
#include <string>
#include <string_view>
#include <variant>

#include "casino/wallet_call.hpp"

// Fundist OneWallet (SoftGamings), the seamless-wallet callback: its wire format in, WalletCall out, and
// WalletReply back into its wire format. Every assumption about the contract is here and in
// casino/README.md's table ("Fundist: verified and assumed"), so the vendor's document can correct it in
// one place. The signature: casino/fundist_signature.hpp.
namespace b2w::casino::fundist {

inline constexpr std::string_view kAggregator = "fundist";

// Our user id as Fundist's login (User/AuthHTML's Login, the callbacks' userid): the id without its
// "usr_" prefix, 26 characters (Fundist: at most 29 of [0-9a-zA-Z_-]); and back.
std::string login_of(std::string_view user_id);
std::string user_of(std::string_view login);

// Why a callback cannot even be asked of the wallet: answered with an error and nothing else.
struct Rejected {
  std::string error;   // the reply's `error` text
  std::string reason;  // for the warning log line (never secrets, never the body)
};

// The body checked (JSON object, hmac, type, fields and their formats) and read into a call.
std::variant<WalletCall, Rejected> read_callback(std::string_view body, std::string_view secret);

// The reply body, signed: {"status":"OK","balance":"12.34","tid":...,"hmac":...} or, refused,
// {"error":"...","balance":"12.34","hmac":...} (balance when known).
std::string render_reply(const WalletCall& call, const WalletReply& reply, std::string_view secret);
std::string render_rejection(const Rejected& rejected, std::string_view secret);

}  // namespace b2w::casino::fundist
