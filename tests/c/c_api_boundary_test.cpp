// What the C ABI promises at its boundary, tested from inside: an exception thrown anywhere in
// the library (here: the allocator failing, a progress callback throwing) comes back as
// AFTERMATH_FAILED with a document, never as an exception into the caller's C frames; and four
// threads sharing one service get the single-threaded answers.
#include <aftermath/c/aftermath.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace {

/// When armed, the next allocation anywhere in the process throws std::bad_alloc, once.
std::atomic<bool> fail_next_allocation{false};

}  // namespace

void* operator new(std::size_t size) {
  if (fail_next_allocation.exchange(false)) throw std::bad_alloc();
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }

namespace {

constexpr const char* profile =
    R"({"patient": "c-1", "treatment": "mesotherapy_face", "risk_factors": ["bruise_prone"], "sessions": ["2026-03-02", "2026-03-16"]})";
constexpr const char* population = R"({"protocol": "face_initial", "n": 2000, "seed": 7})";

struct service_deleter {
  void operator()(aftermath_service* service) const { aftermath_service_free(service); }
};
using service_handle = std::unique_ptr<aftermath_service, service_deleter>;

service_handle default_service() {
  aftermath_service* service = nullptr;
  char* error = nullptr;
  EXPECT_EQ(aftermath_service_new(nullptr, &service, &error), AFTERMATH_OK);
  return service_handle(service);
}

/// The status of `entry(&output)` and its document (empty for none), freed.
template <class Entry>
std::pair<aftermath_status, std::string> call(Entry entry) {
  char* output = nullptr;
  const aftermath_status status = entry(&output);
  std::string text = output ? output : "";
  aftermath_free(output);
  return {status, text};
}

TEST(CApiBoundary, AnAllocationThatFailsInsideComesBackAsFailed) {
  const auto service = default_service();
  fail_next_allocation = true;
  const auto [status, document] = call([&](char** out) { return aftermath_project(service.get(), profile, out); });
  EXPECT_FALSE(fail_next_allocation) << "the call allocated, so the failure was thrown inside";
  EXPECT_EQ(status, AFTERMATH_FAILED);
  EXPECT_NE(document.find(R"("error": "failed")"), std::string::npos) << document;
  EXPECT_NE(document.find("bad_alloc"), std::string::npos) << document;
  // The service is whole afterwards.
  const auto [again, projection] = call([&](char** out) { return aftermath_project(service.get(), profile, out); });
  EXPECT_EQ(again, AFTERMATH_OK);
  EXPECT_NE(projection.find(R"("patient": "c-1")"), std::string::npos);
}

TEST(CApiBoundary, AnythingACallbackThrowsComesBackAsFailed) {
  const auto service = default_service();
  aftermath_simulate_options options{};
  options.threads = 2;
  options.progress = [](std::uint64_t, std::uint64_t, void*) { throw 42; };
  const auto [status, document] = call([&](char** out) { return aftermath_simulate(service.get(), population, &options, out); });
  EXPECT_EQ(status, AFTERMATH_FAILED);
  EXPECT_NE(document.find("an unexpected error inside aftermath"), std::string::npos) << document;
}

TEST(CApiBoundary, FourThreadsShareOneServiceAndGetTheSingleThreadedAnswers) {
  const auto service = default_service();
  aftermath_simulate_options options{};
  options.threads = 1;
  // Plain pairs, not structured bindings: the threads' lambdas capture them.
  const auto projected = call([&](char** out) { return aftermath_project(service.get(), profile, out); });
  const auto simulated = call([&](char** out) { return aftermath_simulate(service.get(), population, &options, out); });
  ASSERT_EQ(projected.first, AFTERMATH_OK);
  ASSERT_EQ(simulated.first, AFTERMATH_OK);
  const std::string& projection = projected.second;
  const std::string& summary = simulated.second;

  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        if (t % 2 == 0) {
          const auto [status, text] = call([&](char** out) { return aftermath_project(service.get(), profile, out); });
          if (status != AFTERMATH_OK || text != projection) ++mismatches;
        } else {
          const auto [status, text] = call([&](char** out) { return aftermath_simulate(service.get(), population, &options, out); });
          if (status != AFTERMATH_OK || text != summary) ++mismatches;
        }
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, 0);
}

}  // namespace
