#pragma once
#include <string>
#include <string_view>

// What the binary's static sites (the API docs, the back-office console) share: reading a file whole and the
// content type its name implies.
namespace b2w::api {

// False when the file cannot be read.
bool read_whole_file(const std::string& path, std::string& out);
// By extension; application/octet-stream for an unknown one.
std::string_view content_type_of(std::string_view name);
void replace_all(std::string& s, std::string_view from, std::string_view to);

}  // namespace b2w::api
