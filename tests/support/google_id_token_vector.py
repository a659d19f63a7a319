#!/usr/bin/env python3
"""Google ID token vectors computed with PyJWT and cryptography (Debian python3-jwt, python3-cryptography),
independently of the C++ code in src/security/google_id_token.cpp.

  make AUDIENCE NOW   a fresh 2048-bit RSA key (never stored), its JWKS and an RS256 token signed with it;
                      prints one JSON object {"jwks": ..., "token": ..., "sub": ..., "email": ...}
  check JWKS TOKEN AUDIENCE NOW
                      verifies a token the C++ test signed, as Google's libraries would; prints "ok" or the error
"""
import json
import sys

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def make(audience, now):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": "python-vector-key", "alg": "RS256", "use": "sig"})
    claims = {"iss": "https://accounts.google.com", "azp": audience, "aud": audience, "sub": "110169484474386276334",
              "email": "ada@example.com", "email_verified": True, "name": "Ada Lovelace", "iat": now, "exp": now + 3600}
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "python-vector-key"})
    print(json.dumps({"jwks": json.dumps({"keys": [jwk]}), "token": token, "sub": claims["sub"],
                      "email": claims["email"]}))


def check(jwks, token, audience, now):
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(k for k in json.loads(jwks)["keys"] if k["kid"] == kid)
    key = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(jwk))
    try:
        jwt.decode(token, key, algorithms=["RS256"], audience=audience, issuer="https://accounts.google.com",
                   options={"verify_exp": False})
        claims = jwt.decode(token, options={"verify_signature": False})
        print("ok" if claims["exp"] > int(now) else "expired")
    except jwt.PyJWTError as error:
        print(type(error).__name__)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]))
    else:
        check(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
