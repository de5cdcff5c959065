/* The README's patient through the C ABI: a profile in, the projection document out, read here
 * with cJSON (Debian: libcjson-dev) as any JSON library would read it. Compiled as C11. */
#include <aftermath/c/aftermath.h>
#include <cjson/cJSON.h>

#include <stdio.h>

static const char* profile =
    "{\"patient\": \"anon-17\","
    " \"risk_factors\": [\"bruise_prone\", {\"id\": \"aspirin\", \"stopped_on\": \"2026-11-28\"}],"
    " \"sessions\": [\"2026-12-01\", \"2026-12-15\"]}";

int main(void) {
  aftermath_service* service = NULL;
  char* output = NULL;
  if (aftermath_service_new(NULL, &service, &output) != AFTERMATH_OK) return 1;  /* NULL: the default model */

  aftermath_status status = aftermath_project(service, profile, &output);
  if (status == AFTERMATH_OK) {
    cJSON* projection = cJSON_Parse(output);
    const cJSON* effect = NULL;
    cJSON_ArrayForEach(effect, cJSON_GetObjectItem(projection, "effects")) {
      const cJSON* resolved = cJSON_GetObjectItem(effect, "resolved");
      printf("%s: %.0f%% chance; almost always gone by %s\n", cJSON_GetObjectItem(effect, "name")->valuestring,
             100 * cJSON_GetObjectItem(effect, "probability")->valuedouble, cJSON_GetObjectItem(resolved, "p95_date")->valuestring);
    }
    cJSON_Delete(projection);
  }
  aftermath_free(output);

  /* Bad input is a document naming each problem's path, as the command prints it. */
  status = aftermath_project(service, "{\"sessions\": [\"2026-02-30\"]}", &output);
  if (status == AFTERMATH_BAD_INPUT) printf("%s\n", output);
  aftermath_free(output);

  aftermath_service_free(service);
  return 0;
}
