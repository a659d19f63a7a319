#pragma once
// libpq, loaded with dlopen on first use instead of linked: the embedded (SQLite) configuration
// never maps it, nor its dependency chain (GnuTLS, Kerberos, LDAP, SASL, p11-kit), which would
// otherwise be about a fifth of the idle process's memory.
//
// The header libpq-fe.h (libpq-dev) is used at compile time only, so every entry below keeps
// libpq's exact signature; the runtime needs libpq5 (libpq.so.5) only when DATABASE_URL selects
// PostgreSQL. The library is loaded once per process and never unloaded.
#include <libpq-fe.h>

#include <stdexcept>
#include <string>

namespace b2w::store::pq {

// The libpq functions the PostgreSQL store uses.
struct Api {
  decltype(&::PQlibVersion) libVersion;
  decltype(&::PQconnectStartParams) connectStartParams;
  decltype(&::PQconnectPoll) connectPoll;
  decltype(&::PQstatus) status;
  decltype(&::PQerrorMessage) errorMessage;
  decltype(&::PQsetnonblocking) setnonblocking;
  decltype(&::PQsocket) socket;
  decltype(&::PQfinish) finish;
  decltype(&::PQsendQuery) sendQuery;
  decltype(&::PQsendQueryParams) sendQueryParams;
  decltype(&::PQsendPrepare) sendPrepare;
  decltype(&::PQsendQueryPrepared) sendQueryPrepared;
  decltype(&::PQflush) flush;
  decltype(&::PQisBusy) isBusy;
  decltype(&::PQconsumeInput) consumeInput;
  decltype(&::PQgetResult) getResult;
  decltype(&::PQresultStatus) resultStatus;
  decltype(&::PQresultErrorMessage) resultErrorMessage;
  decltype(&::PQresultErrorField) resultErrorField;
  decltype(&::PQntuples) ntuples;
  decltype(&::PQnfields) nfields;
  decltype(&::PQgetisnull) getisnull;
  decltype(&::PQgetvalue) getvalue;
  decltype(&::PQgetlength) getlength;
  decltype(&::PQcmdTuples) cmdTuples;
  decltype(&::PQclear) clear;
  decltype(&::PQenterPipelineMode) enterPipelineMode;
  decltype(&::PQexitPipelineMode) exitPipelineMode;
  decltype(&::PQpipelineSync) pipelineSync;
};

// The library cannot be loaded or lacks a function; what() names the library and the Debian package.
class Unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The process-wide table, loading libpq.so.5 on the first call (thread-safe). Throws Unavailable,
// again on every call, when it cannot be loaded.
const Api& api();

// Loads `library` (a file name dlopen searches for, or a path) into a new table: api() with
// another library, for tests. Throws Unavailable.
Api load(const std::string& library);

// Whether this process has libpq mapped (for tests of the embedded configuration).
bool loaded_in_process();

}  // namespace b2w::store::pq
