// Sobol indices by Saltelli's design: checking the options, drawing A and B, evaluating f on
// threads into arrays by row, the estimators of Saltelli et al. 2010 (first order) and Jansen
// 1999 (total) read off those arrays in row order, and their bootstrap. See sensitivity.hpp.
#include <aftermath/sensitivity.hpp>

#include "messages.hpp"

#include <aftermath/error.hpp>

#include <Random123/philox.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>

namespace aftermath {
namespace {

using detail::format_number;

// With both limits, N·(d+2) outputs are counted without overflow; memory runs out first.
constexpr std::size_t max_inputs = 100'000;
constexpr std::size_t max_base_samples = 1'000'000'000;
/// Rows per unit of work: enough to amortise the hand-over, few enough that a slow model's
/// evaluations balance over the threads and progress moves.
constexpr std::size_t rows_per_task = 32;
constexpr std::size_t resamples_per_task = 8;

/// Each matrix draws from a stream of its own, so A, B and the resamples are independent and a
/// row's draws do not depend on how many rows or inputs there are.
enum class draw_stream : std::uint32_t { a = 0, b = 1, bootstrap = 2 };

/// Uniform words from Philox4x32-10 keyed by the seed, block k of `row` in `stream` at counter
/// (k, stream, row): the same words whichever thread asks.
class counter_words {
 public:
  explicit counter_words(std::uint64_t seed)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

  /// Row `row` of the matrix of `stream`: (w + ½)/2³², strictly inside (0, 1).
  void fill_unit(draw_stream stream, std::uint64_t row, std::span<double> out) const {
    for_each_word(stream, row, out.size(), [&](std::size_t k, std::uint32_t word) {
      out[k] = (static_cast<double>(word) + 0.5) * 0x1p-32;
    });
  }

  /// Resample `resample`: out.size() row numbers in [0, rows), uniform, with replacement. Each
  /// takes 53 bits from two words, so the bias of scaling them to `rows` is below rows/2⁵³.
  void fill_rows(std::uint64_t resample, std::size_t rows, std::span<std::uint32_t> out) const {
    std::uint32_t high = 0;
    for_each_word(draw_stream::bootstrap, resample, 2 * out.size(), [&](std::size_t k, std::uint32_t word) {
      if (k % 2 == 0) {
        high = word;
        return;
      }
      const std::uint64_t bits = (std::uint64_t{high} << 21) | (word >> 11);
      const double unit = static_cast<double>(bits) * 0x1p-53;
      out[k / 2] = static_cast<std::uint32_t>(std::min(unit * static_cast<double>(rows), static_cast<double>(rows - 1)));
    });
  }

 private:
  template <typename Use>
  void for_each_word(draw_stream stream, std::uint64_t row, std::size_t count, Use use) const {
    r123::Philox4x32::ctr_type counter{
        {0, static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(row), static_cast<std::uint32_t>(row >> 32)}};
    for (std::size_t k = 0; k < count; ++counter.v[0]) {
      const auto block = generator_(counter, key_);
      for (std::size_t w = 0; w < 4 && k < count; ++w, ++k) use(k, block.v[w]);
    }
  }

  r123::Philox4x32 generator_;
  r123::Philox4x32::key_type key_;
};

/// f over the design, by row: f(A)_r, f(B)_r and f(A_B^i)_r at i·rows + r.
struct design_outputs {
  std::size_t inputs = 0;
  std::size_t rows = 0;
  std::vector<double> a, b, a_b;

  design_outputs(std::size_t input_count, std::size_t row_count)
      : inputs(input_count), rows(row_count), a(row_count), b(row_count), a_b(input_count * row_count) {}
  [[nodiscard]] std::span<const double> a_b_column(std::size_t input) const { return {a_b.data() + input * rows, rows}; }
};

/// Evaluation e = r·(d+2) + m is row r of matrix m: A (0), B (1), A_B^i (2 + i); the order a
/// serial run evaluates them in, by which the first non-finite output is named.
std::uint64_t evaluations_per_row(std::size_t inputs) { return inputs + 2; }

double output_of(const design_outputs& out, std::size_t row, std::size_t matrix) {
  if (matrix == 0) return out.a[row];
  if (matrix == 1) return out.b[row];
  return out.a_b[(matrix - 2) * out.rows + row];
}

/// Runs task(k) for k = 0 … count − 1 on `threads` threads (the caller's among them), handing k
/// out in order. A task that returns false or throws stops the hand-out; the others finish the
/// task they are on. Then the exception of the lowest k, if any, is rethrown.
template <typename Task>
void run_tasks(unsigned threads, std::uint64_t count, const Task& task) {
  std::atomic<std::uint64_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  std::uint64_t error_task = std::numeric_limits<std::uint64_t>::max();
  const auto work = [&] {
    for (std::uint64_t k; (k = next++) < count;) {
      try {
        if (!task(k)) next = count;
      } catch (...) {
        next = count;
        std::lock_guard lock(error_mutex);
        if (k < error_task) error = std::current_exception(), error_task = k;
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();
  if (error) std::rethrow_exception(error);
}

unsigned thread_count(unsigned requested, std::uint64_t tasks) {
  const unsigned wanted = requested ? requested : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::clamp<std::uint64_t>(tasks, 1, wanted));
}

/// Reports evaluations done from whichever worker finds the callback free: a worker never waits
/// on a slow callback, and a count is never reported after a larger one.
class progress_reporter {
 public:
  progress_reporter(const sobol_options& options, std::uint64_t total) : callback_(options.progress), total_(total) {}
  void add(std::uint64_t evaluations) {
    done_ += evaluations;
    if (!callback_ || !mutex_.try_lock()) return;
    std::lock_guard lock(mutex_, std::adopt_lock);
    report();
  }
  /// After the last evaluation, on the caller's thread once the workers are done.
  void finish() {
    if (!callback_) return;
    std::lock_guard lock(mutex_);
    report();
  }

 private:
  void report() {
    const std::uint64_t done = done_;
    if (done <= reported_) return;
    callback_(done, total_);
    reported_ = done;
  }
  const std::function<void(std::uint64_t, std::uint64_t)>& callback_;
  std::uint64_t total_;
  std::atomic<std::uint64_t> done_{0};
  std::uint64_t reported_ = 0;
  std::mutex mutex_;
};

std::vector<input_problem> check_options(std::size_t inputs, const std::function<double(std::span<const double>)>& f,
                                         const sobol_options& options) {
  std::vector<input_problem> problems;
  if (inputs == 0 || inputs > max_inputs)
    problems.push_back({"inputs", std::to_string(inputs) + ", but must be in [1, 100000]", problem_code::out_of_range});
  if (options.base_samples < 2 || options.base_samples > max_base_samples)
    problems.push_back({"base_samples", std::to_string(options.base_samples) + ", but must be in [2, 1000000000]",
                        problem_code::out_of_range});
  if (options.bootstrap == 0) problems.push_back({"bootstrap", "0, but must be at least 1", problem_code::out_of_range});
  if (!(options.confidence > 0.0 && options.confidence < 1.0))
    problems.push_back({"confidence", format_number(options.confidence) + ", but must be in (0, 1)", problem_code::out_of_range});
  if (!f) problems.push_back({"f", "is empty, but must be the function to analyse", problem_code::malformed});
  return problems;
}

/// Evaluates f over rows [first, last) of the design; false when an output is not finite.
bool evaluate_rows(const std::function<double(std::span<const double>)>& f, const counter_words& words, std::size_t first,
                   std::size_t last, design_outputs& out) {
  std::vector<double> a_row(out.inputs), b_row(out.inputs), point(out.inputs);
  bool finite = true;
  const auto evaluate = [&](std::span<const double> u, double& into) {
    into = f(u);
    finite = finite && std::isfinite(into);
  };
  for (std::size_t r = first; r < last; ++r) {
    words.fill_unit(draw_stream::a, r, a_row);
    words.fill_unit(draw_stream::b, r, b_row);
    evaluate(a_row, out.a[r]);
    evaluate(b_row, out.b[r]);
    point = a_row;
    for (std::size_t i = 0; i < out.inputs; ++i) {
      point[i] = b_row[i];
      evaluate(point, out.a_b[i * out.rows + r]);
      point[i] = a_row[i];
    }
  }
  return finite;
}

/// "(0.25, 0.5)": the point of evaluation `matrix` in row `row`, for an error message.
std::string point_text(const counter_words& words, std::size_t inputs, std::size_t row, std::size_t matrix) {
  std::vector<double> a_row(inputs), b_row(inputs);
  words.fill_unit(draw_stream::a, row, a_row);
  words.fill_unit(draw_stream::b, row, b_row);
  if (matrix == 1) a_row = b_row;
  if (matrix >= 2) a_row[matrix - 2] = b_row[matrix - 2];
  std::string text;
  for (double u : a_row) text += (text.empty() ? "(" : ", ") + format_number(u);
  return text + ")";
}

std::string matrix_text(std::size_t matrix) {
  if (matrix == 0) return "A";
  if (matrix == 1) return "B";
  return "A with input " + std::to_string(matrix - 2) + " taken from B";
}

/// The first evaluation, in evaluation order, whose output is not finite, as input_error.
[[noreturn]] void throw_first_non_finite(const design_outputs& out, const counter_words& words) {
  const std::uint64_t per_row = evaluations_per_row(out.inputs);
  for (std::size_t r = 0; r < out.rows; ++r)
    for (std::size_t m = 0; m < per_row; ++m)
      if (const double y = output_of(out, r, m); !std::isfinite(y))
        throw input_error("output",
                          "evaluation " + std::to_string(r * per_row + m) + " (row " + std::to_string(r) + " of " + matrix_text(m) +
                              ", counting from 0) gave " + format_number(y) + " at u = " + point_text(words, out.inputs, r, m) +
                              ", but f must return a finite number",
                          problem_code::out_of_range);
  throw std::logic_error("sobol_indices: a non-finite output was flagged but not found");
}

/// Every evaluation of f over the design; throws input_error at `output` for a non-finite one.
design_outputs evaluate_design(std::size_t inputs, const std::function<double(std::span<const double>)>& f,
                               const sobol_options& options) {
  design_outputs out(inputs, options.base_samples);
  const counter_words words(options.seed);
  const std::uint64_t tasks = (out.rows + rows_per_task - 1) / rows_per_task;
  progress_reporter progress(options, out.rows * evaluations_per_row(inputs));
  std::atomic<bool> non_finite{false};
  // A task with a non-finite output stops the hand-out: every row before it is still evaluated,
  // so the first non-finite output in evaluation order is found whatever the thread count.
  run_tasks(thread_count(options.threads, tasks), tasks, [&](std::uint64_t task) {
    const std::size_t first = task * rows_per_task, last = std::min(out.rows, first + rows_per_task);
    const bool finite = evaluate_rows(f, words, first, last, out);
    progress.add((last - first) * evaluations_per_row(inputs));
    if (!finite) non_finite = true;
    return finite;
  });
  if (non_finite) throw_first_non_finite(out, words);
  progress.finish();
  return out;
}

struct moments {
  double mean = 0;
  double variance = 0;
};

/// One sample of the design's rows (every row once, or a resample), with f(A) and f(B) of its
/// rows gathered in its order: each input's pass then reads them in sequence, and only f(A_B^i)
/// is fetched row by row. Reused from one resample to the next.
class row_sample {
 public:
  explicit row_sample(std::size_t rows) : rows_(rows), a_(rows), b_centred_(rows) {}

  /// The rows, to be filled before `gather`.
  [[nodiscard]] std::span<std::uint32_t> rows() { return rows_; }

  /// Gathers f(A) and f(B) of the rows; f(B) is centred on the sample's mean (two passes).
  void gather(const design_outputs& out) {
    double sum = 0;
    for (std::size_t j = 0; j < rows_.size(); ++j) {
      a_[j] = out.a[rows_[j]];
      b_centred_[j] = out.b[rows_[j]];
      sum += a_[j] + b_centred_[j];
    }
    const double count = 2.0 * static_cast<double>(rows_.size());
    output_.mean = sum / count;
    double squares = 0;
    for (std::size_t j = 0; j < rows_.size(); ++j) {
      b_centred_[j] -= output_.mean;
      squares += (a_[j] - output_.mean) * (a_[j] - output_.mean) + b_centred_[j] * b_centred_[j];
    }
    output_.variance = squares / count;
  }

  /// Mean and variance (divided by 2n) of f over the sample's rows of A and of B.
  [[nodiscard]] moments output() const { return output_; }

  /// S_i and ST_i of every input into first[i · stride] and total[i · stride].
  ///
  /// First order, Saltelli et al. 2010: V_i = (1/n) Σ f(B)_j (f(A_B^i)_j − f(A)_j), with f(B)
  /// centred on the sample's mean. That leaves its expectation alone (E[f(A_B^i) − f(A)] = 0)
  /// but removes a noise term proportional to the mean: an output of 100 ± 1 would otherwise
  /// need 10⁴ times the samples for the same precision. Total, Jansen 1999:
  /// VT_i = (1/2n) Σ (f(A)_j − f(A_B^i)_j)², exactly 0 for an input f ignores.
  /// A sample whose outputs do not vary at all (a resample of a tiny N can) counts as 0.
  void estimate_indices(const design_outputs& out, double* first, double* total, std::size_t stride) const {
    const double n = static_cast<double>(rows_.size());
    for (std::size_t i = 0; i < out.inputs; ++i) {
      const auto a_b = out.a_b_column(i);
      double first_sum = 0, total_sum = 0;
      for (std::size_t j = 0; j < rows_.size(); ++j) {
        const double change = a_b[rows_[j]] - a_[j];
        first_sum += b_centred_[j] * change;
        total_sum += change * change;
      }
      const bool varies = output_.variance > 0;
      first[i * stride] = varies ? first_sum / n / output_.variance : 0.0;
      total[i * stride] = varies ? total_sum / (2.0 * n) / output_.variance : 0.0;
    }
  }

 private:
  std::vector<std::uint32_t> rows_;
  std::vector<double> a_, b_centred_;
  moments output_;
};

/// The indices of `resamples` bootstrap resamples: resample b of input i at i·resamples + b.
struct bootstrap_indices {
  std::vector<double> first_order, total;
};

bootstrap_indices bootstrap(const design_outputs& out, const sobol_options& options) {
  const std::size_t resamples = options.bootstrap;
  bootstrap_indices boot{std::vector<double>(out.inputs * resamples), std::vector<double>(out.inputs * resamples)};
  const counter_words words(options.seed);
  const std::uint64_t tasks = (resamples + resamples_per_task - 1) / resamples_per_task;
  run_tasks(thread_count(options.threads, tasks), tasks, [&](std::uint64_t task) {
    row_sample sample(out.rows);
    const std::size_t first = task * resamples_per_task, last = std::min(resamples, first + resamples_per_task);
    for (std::size_t b = first; b < last; ++b) {
      words.fill_rows(b, out.rows, sample.rows());
      sample.gather(out);
      sample.estimate_indices(out, boot.first_order.data() + b, boot.total.data() + b, resamples);
    }
    return true;
  });
  return boot;
}

/// The q-quantile of sorted values, interpolating linearly between order statistics.
double sorted_quantile(std::span<const double> sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(position);
  if (below + 1 >= sorted.size()) return sorted.back();
  const double within = position - static_cast<double>(below);
  return sorted[below] + within * (sorted[below + 1] - sorted[below]);
}

interval_estimate percentile_interval(double estimate, std::span<const double> resampled, double confidence) {
  std::vector<double> sorted(resampled.begin(), resampled.end());
  std::sort(sorted.begin(), sorted.end());
  const double tail = (1.0 - confidence) / 2.0;
  return {estimate, sorted_quantile(sorted, tail), sorted_quantile(sorted, 1.0 - tail)};
}

[[noreturn]] void throw_constant_output(const design_outputs& out) {
  throw input_error("output",
                    "every one of the " + std::to_string(out.rows * evaluations_per_row(out.inputs)) + " evaluations gave " +
                        format_number(out.a.front()) + ", so there is no variance to share out among the inputs",
                    problem_code::out_of_range);
}

bool output_is_constant(const design_outputs& out) {
  const double first = out.a.front();
  const auto same = [first](double y) { return y == first; };
  return std::all_of(out.a.begin(), out.a.end(), same) && std::all_of(out.b.begin(), out.b.end(), same) &&
         std::all_of(out.a_b.begin(), out.a_b.end(), same);
}

}  // namespace

sobol_result sobol_indices(std::size_t inputs, const std::function<double(std::span<const double>)>& f, const sobol_options& options) {
  if (auto problems = check_options(inputs, f, options); !problems.empty()) throw input_error(std::move(problems));
  const design_outputs out = evaluate_design(inputs, f, options);
  if (output_is_constant(out)) throw_constant_output(out);

  row_sample every_row(out.rows);
  std::iota(every_row.rows().begin(), every_row.rows().end(), std::uint32_t{0});
  every_row.gather(out);
  std::vector<double> first(inputs), total(inputs);
  every_row.estimate_indices(out, first.data(), total.data(), 1);
  const auto boot = bootstrap(out, options);

  sobol_result result;
  result.mean = every_row.output().mean;
  result.variance = every_row.output().variance;
  result.evaluations = out.rows * evaluations_per_row(inputs);
  const std::size_t resamples = options.bootstrap;
  for (std::size_t i = 0; i < inputs; ++i) {
    const std::span<const double> first_resampled(boot.first_order.data() + i * resamples, resamples);
    const std::span<const double> total_resampled(boot.total.data() + i * resamples, resamples);
    result.indices.push_back({percentile_interval(first[i], first_resampled, options.confidence),
                              percentile_interval(total[i], total_resampled, options.confidence)});
  }
  return result;
}

}  // namespace aftermath
