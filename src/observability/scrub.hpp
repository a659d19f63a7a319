#pragma once
#include <string>
#include <string_view>

// What must not leave the process in free text (provider error messages, error reports): one place for the rules
// both the payment adapters and the error reporter apply.
namespace b2w::scrub {

// Every run of ten or more digits (card, account, BVN and phone numbers) becomes "[number]".
std::string without_long_numbers(std::string_view text);

}  // namespace b2w::scrub
