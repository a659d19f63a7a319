#pragma once
#include <boost/json/object.hpp>

#include "api/route_table.hpp"
#include "auth/accounts.hpp"
#include "identity/email_verification.hpp"
#include "identity/google_sign_in.hpp"
#include "identity/password_reset.hpp"
#include "identity/phone_otp.hpp"

namespace b2w::api {

// POST /auth/register, /auth/login, /auth/refresh, /auth/logout and /auth/logout-all (app/routes.cpp).
RouteHandler register_account(auth::AccountService& accounts);
RouteHandler login(auth::AccountService& accounts);
RouteHandler refresh(auth::AccountService& accounts);
RouteHandler logout(auth::AccountService& accounts);
RouteHandler logout_all(auth::AccountService& accounts);
// POST /auth/email/verify {token}: the link's token; 204.
RouteHandler verify_email(identity::EmailVerification& email);
// POST /auth/email/resend: a new verification mail for the signed-in user; 202.
RouteHandler resend_verification(identity::EmailVerification& email);
// POST /auth/password/forgot {email}: 202 whether or not the address has an account.
RouteHandler forgot_password(identity::PasswordReset& reset);
// POST /auth/password/reset {token | phone+code, new_password}: 204; every session of the user ends.
RouteHandler reset_password(identity::PasswordReset& reset);
// POST /auth/otp/send {phone, purpose}: 202 {status, expires_in}, whether or not a code was sent.
RouteHandler send_phone_code(identity::PhoneOtp& codes);
// POST /auth/otp/verify {phone, code, purpose}: verify_phone 200 {user}; login 200 with a session;
// password_reset 200 {reset_token, expires_in} for POST /auth/password/reset.
RouteHandler verify_phone_code(identity::PhoneOtp& codes, identity::PasswordReset& reset);
// POST /auth/google {id_token}: 201 with a new account's session, 200 with an existing one's.
RouteHandler google_sign_in(identity::GoogleSignIn& google);

// The public shape of a user: {id, email, full_name, phone, role, email_verified, phone_verified, date_of_birth,
// exclusion, created_at}.
boost::json::object user_json(const store::UserRecord& user);
// A running time-out or self-exclusion {period, kind, until, permanent}, or null.
boost::json::value exclusion_json(const store::UserRecord& user);

}  // namespace b2w::api
