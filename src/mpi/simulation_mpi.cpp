// One cohort simulation over MPI ranks: each rank its share, the tallies reduced exactly.
#include <aftermath/mpi.hpp>

#include <climits>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace aftermath::mpi {
namespace {

/// Visits every count of a tally in one fixed order (the layout the ranks reduce).
template <class Tally, class Visit>
void for_each_count(Tally& tally, Visit&& visit) {
  const auto effect = [&](auto& t) {
    visit(t.occurrences_by_session);
    visit(t.patients_affected);
    for (auto* histogram : {&t.resolution, &t.visible}) {
      visit(histogram->counts);
      visit(histogram->total);
      visit(histogram->sum_units);
      visit(histogram->zeros);
    }
    visit(t.visible_on_day);
  };
  visit(tally.patients);
  visit(tally.group_counts);
  for (auto& t : tally.effects) effect(t);
  effect(tally.any);
}

/// Visits every sum of a paired tally's differences, after both arms' counts.
template <class Tally, class Visit>
void for_each_paired_count(Tally& tally, Visit&& visit) {
  for_each_count(tally.population, visit);
  for_each_count(tally.compared, visit);
  const auto effect = [&](auto& t) {
    for (auto* sum : {&t.occurred, &t.per_session, &t.visible_days, &t.resolution_days}) {
      visit(sum->count);
      visit(sum->sum);
      visit(sum->squares_high);
      visit(sum->squares_low);
    }
  };
  for (auto& t : tally.effects) effect(t);
  effect(tally.any);
}

// A signed sum travels as its two's complement: unsigned addition modulo 2^64 then gives the
// signed sum exactly, as long as the total fits (comparison.hpp bounds it).
struct flattener {
  std::vector<std::uint64_t>& out;
  void operator()(const std::uint64_t& value) const { out.push_back(value); }
  void operator()(const std::int64_t& value) const { out.push_back(static_cast<std::uint64_t>(value)); }
  void operator()(const std::vector<std::uint64_t>& values) const { out.insert(out.end(), values.begin(), values.end()); }
};

struct unflattener {
  const std::uint64_t* at;
  void operator()(std::uint64_t& value) { value = *at++; }
  void operator()(std::int64_t& value) { value = static_cast<std::int64_t>(*at++); }
  void operator()(std::vector<std::uint64_t>& values) {
    for (auto& value : values) value = *at++;
  }
};

// A failure crosses ranks as text: "I" and one problem per record (source, path, message, code
// separated by unit separators, records by record separators), or "R" and what().
constexpr char field_separator = '\x1f';
constexpr char record_separator = '\x1e';

std::string serialise(std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const input_error& error) {
    std::string text = "I";
    for (const auto& p : error.problems())
      text += p.source + field_separator + p.path + field_separator + p.message + field_separator +
              std::to_string(static_cast<int>(p.code)) + record_separator;
    return text;
  } catch (const std::exception& error) {
    return std::string("R") + error.what();
  } catch (...) {
    return "Ran unknown exception";
  }
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : text) {
    if (c == separator) parts.push_back(std::move(part)), part.clear();
    else part += c;
  }
  if (!part.empty()) parts.push_back(std::move(part));
  return parts;
}

[[noreturn]] void rethrow_from(const std::string& text, int rank) {
  if (text.empty() || text[0] != 'I') throw std::runtime_error("rank " + std::to_string(rank) + ": " + text.substr(1));
  std::vector<input_problem> problems;
  for (const auto& record : split(text.substr(1), record_separator)) {
    auto fields = split(record + field_separator, field_separator);
    fields.resize(4);
    problems.push_back({fields[1], fields[2], static_cast<problem_code>(std::stoi(fields[3].empty() ? "2" : fields[3])), fields[0]});
  }
  throw input_error(std::move(problems));
}

int rank_of(MPI_Comm comm) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  return rank;
}

int size_of(MPI_Comm comm) {
  int size = 1;
  MPI_Comm_size(comm, &size);
  return size;
}

/// Adds every rank's counts into the root's, elementwise: the sums on the root, nothing elsewhere.
std::vector<std::uint64_t> reduce_counts(const std::vector<std::uint64_t>& counts, MPI_Comm comm, int root) {
  // The size depends on the model and population only, so every rank throws here alike.
  if (counts.size() > static_cast<std::size_t>(INT_MAX)) throw std::length_error("a tally too large for one MPI_Reduce");
  const bool at_root = rank_of(comm) == root;
  std::vector<std::uint64_t> sums(at_root ? counts.size() : 0);
  MPI_Reduce(counts.data(), sums.data(), static_cast<int>(counts.size()), MPI_UINT64_T, MPI_SUM, root, comm);
  return sums;
}

/// Adds every rank's tally into the root's by one reduction of its counts in `visit_all`'s order.
template <class Tally, class VisitAll>
void reduce_tally(Tally& tally, MPI_Comm comm, int root, VisitAll visit_all) {
  std::vector<std::uint64_t> counts;
  visit_all(tally, flattener{counts});
  const std::vector<std::uint64_t> sums = reduce_counts(counts, comm, root);
  if (rank_of(comm) == root) visit_all(tally, unflattener{sums.data()});
}

}  // namespace

patient_range rank_range(patient_range run, int rank, int ranks) {
  const auto share = shard_range(run.last - run.first, static_cast<std::uint64_t>(rank), static_cast<std::uint64_t>(ranks));
  return {run.first + share.first, run.first + share.last};
}

void agree(MPI_Comm comm, std::exception_ptr failure) {
  const int rank = rank_of(comm);
  int mine = failure ? rank : INT_MAX, lowest = INT_MAX;
  MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, comm);
  if (lowest == INT_MAX) return;
  std::string text = rank == lowest ? serialise(failure) : std::string();
  int length = static_cast<int>(text.size());
  MPI_Bcast(&length, 1, MPI_INT, lowest, comm);
  text.resize(static_cast<std::size_t>(length));
  MPI_Bcast(text.data(), length, MPI_CHAR, lowest, comm);
  rethrow_from(text, lowest);
}

void reduce(cohort_tally& tally, MPI_Comm comm, int root) {
  reduce_tally(tally, comm, root, [](auto& t, auto&& visit) { for_each_count(t, visit); });
}

void reduce(paired_tally& tally, MPI_Comm comm, int root) {
  reduce_tally(tally, comm, root, [](auto& t, auto&& visit) { for_each_paired_count(t, visit); });
}

namespace {

/// This rank's share of the run's patients simulated by `simulate_own`, a failure on any rank
/// rethrown on all, and the tallies added on the root: the root's result, nothing elsewhere.
template <class Tally, class Simulate>
std::optional<Tally> on_ranks(std::uint64_t n, MPI_Comm comm, const simulation_options& options, int root, Simulate&& simulate_own) {
  const int rank = rank_of(comm);
  const patient_range run = options.patients.value_or(patient_range{0, n});
  std::optional<Tally> tally;
  std::exception_ptr failure;
  try {
    simulation_options own = options;
    own.patients = rank_range(run, rank, size_of(comm));
    tally = simulate_own(own);
  } catch (...) {
    failure = std::current_exception();
  }
  agree(comm, failure);
  reduce(*tally, comm, root);
  if (rank != root) return std::nullopt;
  return tally;
}

}  // namespace

std::optional<cohort_tally> simulate(const model& model, const population& population, MPI_Comm comm, const simulation_options& options,
                                     int root) {
  return on_ranks<cohort_tally>(population.n, comm, options, root,
                                [&](const simulation_options& own) { return aftermath::simulate(model, population, own); });
}

std::optional<paired_tally> simulate_paired(const model& model, const population& population, const aftermath::population& compared, MPI_Comm comm,
                                            const simulation_options& options, int root) {
  return on_ranks<paired_tally>(population.n, comm, options, root,
                                [&](const simulation_options& own) { return aftermath::simulate_paired(model, population, compared, own); });
}

}  // namespace aftermath::mpi
