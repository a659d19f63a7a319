#pragma once
#include <string>
#include <string_view>

namespace b2w::identity {

// The token of a single-use link (email verification, password reset): 256 random bits as 64 hex characters.
// The database keeps only its hash.
std::string new_link_token();
std::string link_token_hash(std::string_view token);
// A token of the right form (64 hex characters): anything else is refused before any lookup.
bool is_link_token(std::string_view token);
// The outbox parameters of a mail carrying the link: {"link": "<web_app_url>/<page>?token=<token>"}.
std::string link_mail_params(std::string_view web_app_url, std::string_view page, std::string_view token);

}  // namespace b2w::identity
