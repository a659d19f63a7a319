#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace b2w::identity {

struct RenderedMail {
  std::string subject;
  std::string text_body;
  std::string html_body;
};

// The outbox's templates by name, filled with `params` (HTML-escaped in the HTML part). The texts are in
// mail_templates.cpp, one place to read and change them. Throws std::invalid_argument for an unknown template or
// a missing parameter: such a mail cannot be sent as it is.
RenderedMail render_mail(std::string_view template_name, const boost::json::object& params);

}  // namespace b2w::identity
