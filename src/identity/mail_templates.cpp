#include "identity/mail_templates.hpp"

#include <stdexcept>

namespace b2w::identity {

namespace {

struct Template {
  std::string_view name;
  std::string_view subject;
  std::string_view text;  // {{name}} is replaced by the parameter
  std::string_view html;
};

constexpr Template kTemplates[] = {
    {"verify_email", "Confirm your email address",
     "Welcome to Bet2wealth.\n\nConfirm your email address by opening this link within 24 hours:\n{{link}}\n\n"
     "If you did not create an account, ignore this mail.\n",
     "<p>Welcome to Bet2wealth.</p><p>Confirm your email address by opening this link within 24 hours:</p>"
     "<p><a href=\"{{link}}\">Confirm my email address</a></p>"
     "<p>If you did not create an account, ignore this mail.</p>"},
    {"reset_password", "Reset your password",
     "Someone asked to reset the password of your Bet2wealth account.\n\nTo choose a new password, open this link "
     "within 30 minutes:\n{{link}}\n\nIf it was not you, ignore this mail: your password stays as it is.\n",
     "<p>Someone asked to reset the password of your Bet2wealth account.</p>"
     "<p>To choose a new password, open this link within 30 minutes:</p>"
     "<p><a href=\"{{link}}\">Choose a new password</a></p>"
     "<p>If it was not you, ignore this mail: your password stays as it is.</p>"},
    {"email_taken", "Someone tried to register with your email address",
     "Someone tried to create a Bet2wealth account with this email address, which already has one.\n\n"
     "If it was you, sign in instead, or reset your password if you forgot it. If it was not you, you can ignore "
     "this mail: nothing changed on your account.\n",
     "<p>Someone tried to create a Bet2wealth account with this email address, which already has one.</p>"
     "<p>If it was you, sign in instead, or reset your password if you forgot it. If it was not you, you can "
     "ignore this mail: nothing changed on your account.</p>"},
};

std::string html_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string filled(std::string_view text, const boost::json::object& params, bool html) {
  std::string out;
  for (std::size_t at = 0;;) {
    const auto open = text.find("{{", at);
    if (open == std::string_view::npos) {
      out.append(text.substr(at));
      return out;
    }
    const auto close = text.find("}}", open);
    if (close == std::string_view::npos) throw std::invalid_argument("unclosed template parameter");
    out.append(text.substr(at, open - at));
    const std::string name(text.substr(open + 2, close - open - 2));
    const auto* value = params.if_contains(name);
    if (!value || !value->is_string()) throw std::invalid_argument("missing template parameter " + name);
    const std::string_view v = value->get_string();
    out += html ? html_escaped(v) : std::string(v);
    at = close + 2;
  }
}

}  // namespace

RenderedMail render_mail(std::string_view template_name, const boost::json::object& params) {
  for (const auto& t : kTemplates)
    if (t.name == template_name)
      return RenderedMail{std::string(t.subject), filled(t.text, params, false), filled(t.html, params, true)};
  throw std::invalid_argument("unknown mail template " + std::string(template_name));
}

}  // namespace b2w::identity
