#include <aftermath/service/documents.hpp>

#include <iostream>

int main() {
  const aftermath::document_service service;  // the embedded default model
  try {
    std::cout << service.project(R"({"sessions": ["2026-12-01"]})") << "\n";
  } catch (const aftermath::input_error& error) {
    std::cerr << aftermath::document_service::error_document(error) << "\n";  // every problem with its path
  }
}
