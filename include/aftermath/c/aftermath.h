/* aftermath's C ABI: JSON documents in, JSON documents out.
 *
 * For programs in C and for every language with a C foreign-function interface (Python ctypes,
 * Node's koffi, C#'s P/Invoke, Java's FFM, R's .Call). The documents are the command's: a profile,
 * reports, a planning request, a population in (docs/<name>-format.md, schemas/), and out exactly
 * what `aftermath ... --format json` prints, without its final newline. Link with
 * `pkg-config --libs aftermath-c` (libaftermath_c.so); no C++ header and no C++ runtime setting
 * reaches the caller.
 *
 * Every call returns a status. On AFTERMATH_OK, *output is the result; on AFTERMATH_BAD_INPUT it
 * is an error document naming every problem with its path, as the command prints them:
 *   {"error": "bad_input", "problems": [{"source", "path", "code", "message"}]}
 * and on AFTERMATH_FAILED {"error": "failed", "message": ...} (out of memory, a file the library
 * could not use). *output is allocated by the library, UTF-8, NUL-terminated, and freed with
 * aftermath_free; it is NULL only when even the error document could not be allocated or when
 * the call returns AFTERMATH_INVALID_ARGUMENT. No C++ exception leaves any function here.
 *
 * A service holds one validated model and never changes: any number of threads may call it at
 * once. The numbers are evidence-informed estimates, not medical advice.
 */
#ifndef AFTERMATH_C_AFTERMATH_H
#define AFTERMATH_C_AFTERMATH_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** This header's version of the ABI; aftermath_abi_version() gives the library's. */
#define AFTERMATH_C_ABI_VERSION 1

typedef enum aftermath_status {
  AFTERMATH_OK = 0,
  AFTERMATH_FAILED = 1,           /**< *output is {"error": "failed", "message"} */
  AFTERMATH_BAD_INPUT = 2,        /**< *output is {"error": "bad_input", "problems": [...]} */
  AFTERMATH_INVALID_ARGUMENT = 3  /**< a NULL where a service, a document or output is needed */
} aftermath_status;

/** A validated model; opaque, immutable, shared safely between threads. */
typedef struct aftermath_service aftermath_service;

/** How a simulation runs; a zeroed struct (or NULL) takes the population's own n and seed. */
typedef struct aftermath_simulate_options {
  uint64_t n;          /**< patients; 0: the population's n */
  uint64_t seed;       /**< used when seed_given is non-zero */
  int seed_given;      /**< non-zero: seed replaces the population's */
  unsigned threads;    /**< 0: one per hardware thread; the output does not depend on it */
  /** Called now and then from a worker thread with patients done and to do; may be NULL. */
  void (*progress)(uint64_t done, uint64_t total, void* context);
  void* progress_context;
} aftermath_simulate_options;

/** The library's version, e.g. "0.1.0"; a static string, not to be freed. */
const char* aftermath_version(void);
/** The ABI version the library implements: compare with AFTERMATH_C_ABI_VERSION. */
int aftermath_abi_version(void);

/** A service over a model file's text, or over the embedded default model when model_json is
 *  NULL. On success *service is set and *output is NULL; otherwise *output is the error. */
aftermath_status aftermath_service_new(const char* model_json, aftermath_service** service, char** output);
/** Frees a service; NULL is ignored. No call may be running on it. */
void aftermath_service_free(aftermath_service* service);

/** `aftermath model --format json`. */
aftermath_status aftermath_model(const aftermath_service* service, char** output);
/** `aftermath project --format json` for a profile. */
aftermath_status aftermath_project(const aftermath_service* service, const char* profile_json, char** output);
/** `aftermath assess --format json`: the reports against the profile's projection, with triage. */
aftermath_status aftermath_assess(const aftermath_service* service, const char* profile_json, const char* reports_json, char** output);
/** `aftermath plan --format json`, in a clinic overlay's words when clinic_json is not NULL. */
aftermath_status aftermath_plan(const aftermath_service* service, const char* request_json, const char* clinic_json, char** output);
/** `aftermath simulate --format json`: the population's cohort summary; options may be NULL. */
aftermath_status aftermath_simulate(const aftermath_service* service, const char* population_json,
                                    const aftermath_simulate_options* options, char** output);
/** The patient's leaflet: {"html", "markdown", "clinic_warnings"}; clinic_json may be NULL. */
aftermath_status aftermath_leaflet(const aftermath_service* service, const char* profile_json, const char* clinic_json, char** output);

/** Frees a string the library returned; NULL is ignored. */
void aftermath_free(char* text);

#ifdef __cplusplus
}
#endif

#endif /* AFTERMATH_C_AFTERMATH_H */
