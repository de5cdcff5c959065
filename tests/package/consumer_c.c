/* A C program built against the installed C ABI with nothing but pkg-config's flags. */
#include <aftermath/c/aftermath.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  aftermath_service* service = NULL;
  char* output = NULL;
  if (aftermath_service_new(NULL, &service, &output) != AFTERMATH_OK) return 1;
  const aftermath_status status = aftermath_project(service, "{\"sessions\": [\"2026-12-01\"]}", &output);
  const int projected = status == AFTERMATH_OK && strstr(output, "\"effects\"") != NULL;
  printf("installed C ABI %s: %s\n", aftermath_version(), projected ? "projects" : "FAILED");
  aftermath_free(output);
  aftermath_service_free(service);
  return projected ? 0 : 1;
}
