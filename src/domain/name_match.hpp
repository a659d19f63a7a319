#pragma once
#include <string>
#include <string_view>
#include <vector>

// Whether the name a bank holds for an account (Paystack's /bank/resolve) is the player's name. Pure, no I/O.
namespace b2w::domain {

// The words of a person's name as compared: upper case ASCII; Latin-1 and Yoruba letters with diacritics folded
// to their base letter ("Adébáyọ̀" -> "ADEBAYO"); apostrophes and dots dropped inside a word ("O'Neil" -> "ONEIL");
// every other punctuation mark, space or Latin-1 sign separates words ("Ade-Bayo" -> "ADE", "BAYO"); letters of
// other scripts are kept as written; single letters
// (initials) and titles (MR, MRS, DR, CHIEF, ALHAJI, ...) left out; each word once, in first-seen order.
std::vector<std::string> name_tokens(std::string_view name);

// The rule (order-free, so "SURNAME FIRSTNAME MIDDLENAME" as Nigerian banks write it matches "Firstname
// Surname"): with two or more words in the player's name, at least two of them are in the account's name; with
// one, that one is. A player with no usable name on record never matches: nothing proves the account is theirs.
bool names_match(std::string_view player_name, std::string_view account_name);

}  // namespace b2w::domain
