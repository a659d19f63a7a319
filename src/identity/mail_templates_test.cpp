#include "identity/mail_templates.hpp"

#include <gtest/gtest.h>

#include "identity/outbox_sender.hpp"

namespace b2w::identity {
namespace {

TEST(MailTemplates, FillsTheLinkAndEscapesItInHtmlOnly) {
  const auto mail = render_mail("verify_email", {{"link", "https://app.test/verify-email?token=ab&x=<y>"}});
  EXPECT_EQ(mail.subject, "Confirm your email address");
  EXPECT_NE(mail.text_body.find("https://app.test/verify-email?token=ab&x=<y>\n"), std::string::npos);
  EXPECT_NE(mail.html_body.find("href=\"https://app.test/verify-email?token=ab&amp;x=&lt;y&gt;\""), std::string::npos)
      << mail.html_body;
  EXPECT_EQ(mail.html_body.find("<y>"), std::string::npos);
}

TEST(MailTemplates, EveryTemplateRendersAndNothingIsLeftUnfilled) {
  for (const char* name : {"verify_email", "reset_password", "email_taken"}) {
    const auto mail = render_mail(name, {{"link", "https://app.test/x"}});
    EXPECT_FALSE(mail.subject.empty()) << name;
    EXPECT_EQ(mail.text_body.find("{{"), std::string::npos) << name;
    EXPECT_EQ(mail.html_body.find("{{"), std::string::npos) << name;
  }
}

TEST(MailTemplates, AnUnknownTemplateOrAMissingParameterCannotBeSent) {
  EXPECT_THROW(render_mail("nope", {}), std::invalid_argument);
  EXPECT_THROW(render_mail("verify_email", {}), std::invalid_argument);
  EXPECT_THROW(render_mail("verify_email", {{"link", 5}}), std::invalid_argument);
}

TEST(OutboxSender, RetriesBackOffFrom30SecondsToAnHour) {
  using std::chrono::seconds;
  EXPECT_EQ(retry_delay(1), seconds(30));
  EXPECT_EQ(retry_delay(2), seconds(60));
  EXPECT_EQ(retry_delay(3), seconds(120));
  EXPECT_EQ(retry_delay(7), seconds(1920));
  EXPECT_EQ(retry_delay(8), std::chrono::hours(1));
  EXPECT_EQ(retry_delay(50), std::chrono::hours(1));
  EXPECT_EQ(retry_delay(0), seconds(30));
}

}  // namespace
}  // namespace b2w::identity
