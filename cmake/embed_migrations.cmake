# Writes OUTPUT: a C++ source holding every migrations/NNN_name[.dialect].sql as a string,
# so the binary and its schema can never drift apart. Run with -DSOURCE_DIR= -DOUTPUT=.
file(GLOB files RELATIVE "${SOURCE_DIR}/migrations" "${SOURCE_DIR}/migrations/*.sql")
list(SORT files)
set(body "")
foreach(name IN LISTS files)
  file(READ "${SOURCE_DIR}/migrations/${name}" sql)
  string(APPEND body "      {\"${name}\", R\"b2w_sql(${sql})b2w_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from migrations/*.sql by cmake/embed_migrations.cmake. Do not edit.
#include \"store/db/migrations.hpp\"

namespace b2w::store {

const std::vector<MigrationFile>& migration_files() {
  static const std::vector<MigrationFile> files{
${body}  };
  return files;
}

}  // namespace b2w::store
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
