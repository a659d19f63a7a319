#include "store/db/libpq.hpp"

#include <gtest/gtest.h>

namespace pq = b2w::store::pq;

TEST(Libpq, LoadsTheInstalledLibraryWithEveryFunction) {
  const pq::Api& api = pq::api();
  EXPECT_GE(api.libVersion(), 100000);  // libpq 10 or newer
  EXPECT_NE(api.connectStartParams, nullptr);
  EXPECT_NE(api.clear, nullptr);
  EXPECT_TRUE(pq::loaded_in_process());
  EXPECT_EQ(&pq::api(), &api);  // loaded once
}

TEST(Libpq, AMissingLibraryIsAClearErrorNamingThePackage) {
  try {
    pq::load("libpq-missing-for-this-test.so.5");
    FAIL() << "loaded a library that does not exist";
  } catch (const pq::Unavailable& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("libpq-missing-for-this-test.so.5"), std::string::npos) << what;
    EXPECT_NE(what.find("install the libpq5 package"), std::string::npos) << what;
  }
}

TEST(Libpq, ALibraryWithoutTheFunctionsIsRefused) {
  try {
    pq::load("libsqlite3.so.0");
    FAIL() << "took SQLite for libpq";
  } catch (const pq::Unavailable& e) {
    EXPECT_NE(std::string(e.what()).find("has no PQlibVersion"), std::string::npos) << e.what();
  }
}
