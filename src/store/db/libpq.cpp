#include "store/db/libpq.hpp"

#include <dlfcn.h>

namespace b2w::store::pq {
namespace {

constexpr const char* kLibrary = "libpq.so.5";

template <typename Fn>
void bind(void* handle, const std::string& library, const char* name, Fn& out) {
  dlerror();
  void* symbol = dlsym(handle, name);
  if (!symbol)
    throw Unavailable("PostgreSQL client library " + library + " has no " + name +
                      " (libpq 10 or newer is needed: install the libpq5 package)");
  out = reinterpret_cast<Fn>(symbol);
}

}  // namespace

Api load(const std::string& library) {
  // RTLD_LOCAL: libpq's symbols stay out of the global namespace; RTLD_NOW: a missing
  // dependency shows up here, not at the first query.
  void* handle = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    throw Unavailable("cannot load the PostgreSQL client library " + library +
                      " (install the libpq5 package): " + (why ? why : "unknown error"));
  }
  Api a{};
  try {
    bind(handle, library, "PQlibVersion", a.libVersion);
    bind(handle, library, "PQconnectStartParams", a.connectStartParams);
    bind(handle, library, "PQconnectPoll", a.connectPoll);
    bind(handle, library, "PQstatus", a.status);
    bind(handle, library, "PQerrorMessage", a.errorMessage);
    bind(handle, library, "PQsetnonblocking", a.setnonblocking);
    bind(handle, library, "PQsocket", a.socket);
    bind(handle, library, "PQfinish", a.finish);
    bind(handle, library, "PQsendQuery", a.sendQuery);
    bind(handle, library, "PQsendQueryParams", a.sendQueryParams);
    bind(handle, library, "PQsendPrepare", a.sendPrepare);
    bind(handle, library, "PQsendQueryPrepared", a.sendQueryPrepared);
    bind(handle, library, "PQflush", a.flush);
    bind(handle, library, "PQisBusy", a.isBusy);
    bind(handle, library, "PQconsumeInput", a.consumeInput);
    bind(handle, library, "PQgetResult", a.getResult);
    bind(handle, library, "PQresultStatus", a.resultStatus);
    bind(handle, library, "PQresultErrorMessage", a.resultErrorMessage);
    bind(handle, library, "PQresultErrorField", a.resultErrorField);
    bind(handle, library, "PQntuples", a.ntuples);
    bind(handle, library, "PQnfields", a.nfields);
    bind(handle, library, "PQgetisnull", a.getisnull);
    bind(handle, library, "PQgetvalue", a.getvalue);
    bind(handle, library, "PQgetlength", a.getlength);
    bind(handle, library, "PQcmdTuples", a.cmdTuples);
    bind(handle, library, "PQclear", a.clear);
    bind(handle, library, "PQenterPipelineMode", a.enterPipelineMode);
    bind(handle, library, "PQexitPipelineMode", a.exitPipelineMode);
    bind(handle, library, "PQpipelineSync", a.pipelineSync);
  } catch (...) {
    dlclose(handle);
    throw;
  }
  // Never closed: connections and results may live until the process exits.
  return a;
}

const Api& api() {
  // A throwing initializer leaves the static uninitialized: the next call tries again.
  static const Api table = load(kLibrary);
  return table;
}

bool loaded_in_process() {
  void* handle = dlopen(kLibrary, RTLD_NOW | RTLD_NOLOAD);
  if (!handle) return false;
  dlclose(handle);  // NOLOAD took a reference
  return true;
}

}  // namespace b2w::store::pq
