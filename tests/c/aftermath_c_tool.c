/* A C program over libaftermath_c, compiled as C11 with -Wall -Wextra -pedantic -Werror.
 *
 *   aftermath_c_tool check
 *       the ABI's promises on the default model: statuses, error documents, NULL arguments
 *   aftermath_c_tool project|leaflet PROFILE | assess PROFILE REPORTS | plan REQUEST
 *                   | simulate POPULATION [N SEED THREADS] | model
 *       prints the output document and a newline, as `aftermath ... --format json` does, so
 *       that a test can compare the bytes; exits with the call's status.
 */
#include <aftermath/c/aftermath.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char* read_file(const char* path) {
  FILE* file = fopen(path, "rb");
  if (!file) {
    fprintf(stderr, "aftermath_c_tool: cannot read %s\n", path);
    exit(1);
  }
  size_t size = 0, capacity = 4096;
  char* text = malloc(capacity);
  for (size_t got; text && (got = fread(text + size, 1, capacity - size - 1, file)) > 0;) {
    size += got;
    if (capacity - size < 2) text = realloc(text, capacity *= 2);
  }
  fclose(file);
  if (!text) exit(1);
  text[size] = '\0';
  return text;
}

static int failures = 0;

static void expect(int condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "FAILED: %s\n", what);
    ++failures;
  }
}

static const char* profile =
    "{\"patient\": \"c-1\", \"treatment\": \"mesotherapy_face\", \"risk_factors\": [\"bruise_prone\"],"
    " \"sessions\": [\"2026-03-02\", \"2026-03-16\"]}";

/* Bad input comes back as a document naming the field, and nothing is allocated on a NULL. */
static int check(void) {
  expect(aftermath_abi_version() == AFTERMATH_C_ABI_VERSION, "the library's ABI version is the header's");
  expect(strlen(aftermath_version()) >= 5, "the version is a string like 0.1.0");

  aftermath_service* service = NULL;
  char* output = (char*)1;
  expect(aftermath_service_new(NULL, &service, &output) == AFTERMATH_OK && service && !output, "the default model loads");

  expect(aftermath_project(service, profile, &output) == AFTERMATH_OK, "a profile projects");
  expect(output && strstr(output, "\"patient\": \"c-1\"") != NULL, "the projection names the patient");
  aftermath_free(output);

  expect(aftermath_project(service, "{\"patient\": \"c-2\"}", &output) == AFTERMATH_BAD_INPUT, "a profile without sessions is bad input");
  expect(output && strstr(output, "\"error\": \"bad_input\"") && strstr(output, "\"path\": \"sessions\""),
         "the error document names the missing field");
  aftermath_free(output);

  expect(aftermath_project(service, "{\"patient\": ", &output) == AFTERMATH_BAD_INPUT, "broken JSON is bad input");
  expect(output && strstr(output, "\"code\": \"malformed\""), "broken JSON is malformed");
  aftermath_free(output);

  expect(aftermath_project(NULL, profile, &output) == AFTERMATH_INVALID_ARGUMENT, "no service");
  expect(aftermath_project(service, NULL, &output) == AFTERMATH_INVALID_ARGUMENT, "no profile");
  expect(aftermath_project(service, profile, NULL) == AFTERMATH_INVALID_ARGUMENT, "nowhere to put the output");
  expect(aftermath_assess(service, profile, NULL, &output) == AFTERMATH_INVALID_ARGUMENT, "no reports");

  aftermath_service* broken = (aftermath_service*)1;
  expect(aftermath_service_new("{\"id\": 3}", &broken, &output) == AFTERMATH_BAD_INPUT && broken == NULL, "a broken model is refused");
  expect(output && strstr(output, "\"problems\""), "with its problems");
  aftermath_free(output);

  aftermath_service_free(service);
  aftermath_service_free(NULL);
  aftermath_free(NULL);
  if (failures == 0) printf("aftermath_c_tool check: all passed\n");
  return failures == 0 ? 0 : 1;
}

static void print_progress(uint64_t done, uint64_t total, void* context) {
  (void)context;
  fprintf(stderr, "\rsimulated %llu of %llu", (unsigned long long)done, (unsigned long long)total);
}

/* One command over the service; its status, and its document in *output. */
static aftermath_status run(const aftermath_service* service, int argc, char** argv, const char* first, const char* second, char** output) {
  const char* command = argv[1];
  if (strcmp(command, "model") == 0) return aftermath_model(service, output);
  if (!first) return AFTERMATH_INVALID_ARGUMENT;
  if (strcmp(command, "project") == 0) return aftermath_project(service, first, output);
  if (strcmp(command, "leaflet") == 0) return aftermath_leaflet(service, first, NULL, output);
  if (strcmp(command, "assess") == 0) return aftermath_assess(service, first, second, output);
  if (strcmp(command, "plan") == 0) return aftermath_plan(service, first, NULL, output);
  if (strcmp(command, "simulate") != 0) return AFTERMATH_INVALID_ARGUMENT;
  aftermath_simulate_options options;
  memset(&options, 0, sizeof options);
  if (argc > 3) options.n = strtoull(argv[3], NULL, 10);
  if (argc > 4) {
    options.seed = strtoull(argv[4], NULL, 10);
    options.seed_given = 1;
  }
  if (argc > 5) options.threads = (unsigned)strtoul(argv[5], NULL, 10);
  options.progress = print_progress;
  return aftermath_simulate(service, first, &options, output);
}

int main(int argc, char** argv) {
  if (argc == 2 && strcmp(argv[1], "check") == 0) return check();
  if (argc < 2) {
    fprintf(stderr, "usage: aftermath_c_tool check | project|leaflet PROFILE | assess PROFILE REPORTS | plan REQUEST"
                    " | simulate POPULATION [N SEED THREADS] | model\n");
    return 1;
  }
  aftermath_service* service = NULL;
  char* output = NULL;
  char* first = argc > 2 ? read_file(argv[2]) : NULL;
  char* second = argc > 3 && strcmp(argv[1], "assess") == 0 ? read_file(argv[3]) : NULL;
  aftermath_status status = aftermath_service_new(NULL, &service, &output);
  if (status == AFTERMATH_OK) status = run(service, argc, argv, first, second, &output);
  if (status == AFTERMATH_INVALID_ARGUMENT) fprintf(stderr, "aftermath_c_tool: %s: missing or unknown arguments\n", argv[1]);
  if (output) printf("%s\n", output);
  aftermath_free(output);
  free(first);
  free(second);
  aftermath_service_free(service);
  return (int)status;
}
