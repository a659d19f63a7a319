#include "store/db/migrations.hpp"

#include <gtest/gtest.h>

using namespace b2w::store;

TEST(Migrations, SharedAndDialectFilesInVersionOrder) {
  std::vector<MigrationFile> files{
      {"002_b.sqlite.sql", "S2"}, {"002_b.postgres.sql", "P2"}, {"001_a.sql", "A1"}, {"010_c.sql", "C10"}};
  auto sqlite = migrations_for(Dialect::sqlite, files);
  ASSERT_EQ(sqlite.size(), 3u);
  EXPECT_EQ(sqlite[0].version, 1);
  EXPECT_EQ(sqlite[1].sql, "S2");
  EXPECT_EQ(sqlite[1].name, "b");
  EXPECT_EQ(sqlite[2].version, 10);
  EXPECT_EQ(migrations_for(Dialect::postgres, files)[1].sql, "P2");
}

TEST(Migrations, MalformedSetsAreRejected) {
  EXPECT_THROW(migrations_for(Dialect::sqlite, {{"abc.sql", ""}}), std::invalid_argument);
  EXPECT_THROW(migrations_for(Dialect::sqlite, {{"001_a.sql", ""}, {"001_b.sql", ""}}), std::invalid_argument);
  EXPECT_THROW(migrations_for(Dialect::sqlite, {{"001_a.sqlite.sql", ""}}), std::invalid_argument);
  EXPECT_THROW(migrations_for(Dialect::sqlite, {{"001_a.sql", ""}, {"001_a.sqlite.sql", ""}}), std::invalid_argument);
  EXPECT_THROW(migrations_for(Dialect::sqlite, {{"000_zero.sql", ""}}), std::invalid_argument);
}

TEST(Migrations, TheShippedSetIsWellFormedForBothDialects) {
  EXPECT_FALSE(migrations_for(Dialect::sqlite).empty());
  EXPECT_EQ(migrations_for(Dialect::sqlite).size(), migrations_for(Dialect::postgres).size());
}
