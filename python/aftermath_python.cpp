// aftermath._aftermath: the document service (aftermath/service/documents.hpp) behind Python's
// boundary. Documents cross it as JSON text, in both directions; the pure-Python package
// (python/aftermath/__init__.py) turns dicts into text and the text that comes back into dicts
// and NumPy arrays. Every call releases the GIL while the library works: the service is immutable
// and thread-safe, so Python threads may call one model at once.
//
// Two things are done here rather than in Python, because they happen inside the simulation:
//  - progress: the library calls back from its threads; the callback takes the GIL, at most
//    about ten times a second, to call the Python function and to let Ctrl-C (PyErr_CheckSignals,
//    which acts on the main thread only) stop the run by an exception the library passes on;
//  - rows: every patient's outcome per effect, collected in columns (integers, doubles and the
//    codes of a few distinct labels) while the simulation streams them, and handed to NumPy
//    without a copy. A million patients make seven million rows and no Python object per row.
//
// input_error becomes aftermath.InputError (python/aftermath/_errors.py) with every problem's
// source, path, code and message.
#include <aftermath/io/json.hpp>
#include <aftermath/service/documents.hpp>
#include <aftermath/simulation.hpp>
#include <aftermath/version.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <charconv>
#include <chrono>
#include <functional>
#include <limits>
#include <span>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace py = pybind11;

namespace {

using aftermath::document_service;

/// A vector handed to NumPy: the array owns it through a capsule, so nothing is copied.
template <class T>
py::array_t<T> to_array(std::vector<T>&& values) {
  auto* owned = new std::vector<T>(std::move(values));
  py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), owner);
}

/// Labels as small integer codes, in order of first appearance (pandas.Categorical's codes and
/// categories). Within one batch of outcomes the library's views stay put, so a label is looked
/// up by its address first, among the few seen in the batch; a new address costs one hash lookup.
class label_codes {
 public:
  /// Forgets the addresses of the last batch, whose views are gone.
  void new_batch() { recent_count_ = 0; }

  std::int32_t code(std::string_view label) {
    for (std::size_t k = 0; k < recent_count_; ++k)
      if (recent_[k].data == label.data() && recent_[k].size == label.size()) return recent_[k].code;
    const std::int32_t code = by_text(label);
    recent_[recent_count_ < recent_.size() ? recent_count_++ : recent_.size() - 1] = {label.data(), label.size(), code};
    return code;
  }

  /// The code of a label by its text alone, for a label whose address says nothing.
  std::int32_t by_text(std::string_view label) {
    key_.assign(label);
    if (const auto found = codes_.find(key_); found != codes_.end()) return found->second;
    const auto code = static_cast<std::int32_t>(labels_.size());
    codes_.emplace(key_, code);
    labels_.push_back(key_);
    return code;
  }

  [[nodiscard]] py::list labels() const {
    py::list out;
    for (const auto& label : labels_) out.append(py::str(label));
    return out;
  }

 private:
  struct seen {
    const char* data = nullptr;
    std::size_t size = 0;
    std::int32_t code = 0;
  };
  std::array<seen, 16> recent_{};
  std::size_t recent_count_ = 0;
  std::unordered_map<std::string, std::int32_t> codes_;
  std::vector<std::string> labels_;
  std::string key_;
};

/// Session lists as codes of their labels ("1;3;4"): a list of sessions below 64 is looked up by
/// its bit mask, without writing the label again.
class session_codes {
 public:
  std::int32_t code(std::span<const int> sessions) {
    std::uint64_t mask = 0;
    bool masked = true;
    for (const int s : sessions) {
      if (s < 0 || s >= 64) masked = false;
      else mask |= std::uint64_t{1} << s;
    }
    if (masked)
      if (const auto found = by_mask_.find(mask); found != by_mask_.end()) return found->second;
    text_.clear();
    for (std::size_t k = 0; k < sessions.size(); ++k) {
      char number[16];
      if (k) text_ += ';';
      text_.append(number, std::to_chars(number, number + sizeof number, sessions[k] + 1).ptr);
    }
    const std::int32_t code = labels_.by_text(text_);
    if (masked) by_mask_.emplace(mask, code);
    return code;
  }
  [[nodiscard]] py::list labels() const { return labels_.labels(); }

 private:
  std::unordered_map<std::uint64_t, std::int32_t> by_mask_;
  label_codes labels_;  ///< by text only: text_ is one address with ever new contents
  std::string text_;
};

/// The per-patient rows of a simulation, in the columns of io/csv.hpp's cohort_rows_csv:
/// patient, group, effect, sessions (1-based, joined by ';', empty when the effect did not occur),
/// resolved_after_last_days (NaN when it did not occur), visible_days. Days at full precision.
class row_columns {
 public:
  explicit row_columns(std::uint64_t expected_rows) {
    constexpr std::uint64_t most_reserved = 100'000'000;  // beyond this, let the vectors grow
    if (expected_rows <= most_reserved) {
      const auto rows = static_cast<std::size_t>(expected_rows);
      patient_.reserve(rows);
      group_.reserve(rows);
      effect_.reserve(rows);
      sessions_.reserve(rows);
      resolved_.reserve(rows);
      visible_.reserve(rows);
    }
  }

  /// The outcome sink: called in patient order, one thread at a time, without the GIL.
  void add(std::span<const aftermath::patient_outcome> outcomes) {
    group_codes_.new_batch();
    effect_codes_.new_batch();
    for (const auto& o : outcomes) {
      patient_.push_back(static_cast<std::int64_t>(o.patient));
      group_.push_back(group_codes_.code(o.group));
      effect_.push_back(effect_codes_.code(o.effect));
      sessions_.push_back(session_codes_.code(o.sessions));
      resolved_.push_back(o.resolved_after_last_days.value_or(std::numeric_limits<double>::quiet_NaN()));
      visible_.push_back(o.visible_days);
    }
  }

  /// {"patient": int64[], "group": (int32 codes, [labels]), "effect": (...), "sessions": (...),
  /// "resolved_after_last_days": float64[], "visible_days": float64[]}; needs the GIL.
  py::dict to_python() && {
    py::dict out;
    out["patient"] = to_array(std::move(patient_));
    out["group"] = py::make_tuple(to_array(std::move(group_)), group_codes_.labels());
    out["effect"] = py::make_tuple(to_array(std::move(effect_)), effect_codes_.labels());
    out["sessions"] = py::make_tuple(to_array(std::move(sessions_)), session_codes_.labels());
    out["resolved_after_last_days"] = to_array(std::move(resolved_));
    out["visible_days"] = to_array(std::move(visible_));
    return out;
  }

 private:
  std::vector<std::int64_t> patient_;
  std::vector<std::int32_t> group_, effect_, sessions_;
  std::vector<double> resolved_, visible_;
  label_codes group_codes_, effect_codes_;
  session_codes session_codes_;
};

/// The library's progress callback, called from its threads one call at a time and without the
/// GIL. At most every `interval` it takes the GIL: on the main thread to see whether a signal
/// (Ctrl-C) arrived, which raises KeyboardInterrupt through the library; then to call the Python
/// callback with (done, total), and always once more with (total, total) at the end. An
/// exception from either stops the simulation at its next chunk and is raised by the call.
class python_progress {
 public:
  explicit python_progress(py::object callback) : callback_(std::move(callback)) {}

  void operator()(std::uint64_t done, std::uint64_t total) {
    const auto now = std::chrono::steady_clock::now();
    const bool callback_due = !callback_.is_none() && done != reported_ && (done == total || now >= next_callback_);
    const bool signals_due = now >= next_signal_check_;
    if (!callback_due && !signals_due) return;
    py::gil_scoped_acquire gil;
    if (signals_due) {
      next_signal_check_ = now + interval;
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    }
    if (callback_due) {
      next_callback_ = now + interval;
      reported_ = done;
      callback_(done, total);
    }
  }

 private:
  static constexpr std::chrono::milliseconds interval{100};
  py::object callback_;
  std::chrono::steady_clock::time_point next_callback_{};
  std::chrono::steady_clock::time_point next_signal_check_{std::chrono::steady_clock::now() + interval};
  std::uint64_t reported_ = 0;
};

/// The simulation settings the Python call gives, with the progress callback bound to it.
struct simulate_call {
  std::optional<std::uint64_t> n;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  python_progress progress;

  /// What the library calls; valid while this call lives.
  [[nodiscard]] std::function<void(std::uint64_t, std::uint64_t)> progress_function() {
    return [this](std::uint64_t done, std::uint64_t total) { progress(done, total); };
  }
};

/// `simulate` without rows: the service itself, so that its bytes are the command's.
std::string simulate_summary(const document_service& service, const std::string& population_json, simulate_call& call) {
  py::gil_scoped_release released;
  return service.simulate(population_json, {.n = call.n, .seed = call.seed, .threads = call.threads, .progress = call.progress_function()});
}

/// `simulate` with rows: the three steps of the service's simulate, with an outcome sink added.
py::tuple simulate_with_rows(const document_service& service, const std::string& population_json, simulate_call& call) {
  std::string summary;
  std::optional<row_columns> rows;
  {
    py::gil_scoped_release released;
    const aftermath::model& model = service.model();
    const aftermath::population population = aftermath::parse_population(population_json, model, "population", {call.n, call.seed});
    rows.emplace(population.n * (model.effects.size() + 1));
    const aftermath::cohort_tally tally = aftermath::simulate(
        model, population,
        {.threads = call.threads,
         .progress = call.progress_function(),
         .outcomes = [&rows](std::span<const aftermath::patient_outcome> outcomes) { rows->add(outcomes); }});
    summary = aftermath::to_json(aftermath::summarise(model, population, tally));
  }
  return py::make_tuple(py::str(summary), std::move(*rows).to_python());
}

/// input_error as aftermath.InputError(records), each record {"source", "path", "code", "message"}.
void raise_input_error(const aftermath::input_error& error) {
  py::list records;
  for (const auto& problem : error.problems()) {
    py::dict record;
    record["source"] = problem.source;
    record["path"] = problem.path;
    record["code"] = std::string(aftermath::to_string(problem.code));
    record["message"] = problem.message;
    records.append(record);
  }
  const py::object type = py::module_::import("aftermath._errors").attr("InputError");
  const py::object instance = type(records);
  PyErr_SetObject(type.ptr(), instance.ptr());
}

}  // namespace

PYBIND11_MODULE(_aftermath, m) {
  m.doc() = "The aftermath document service; use the aftermath package, which wraps it.";
  m.attr("__version__") = aftermath::version_string;

  py::register_local_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const aftermath::input_error& error) {
      raise_input_error(error);
    }
  });

  using release = py::call_guard<py::gil_scoped_release>;
  py::class_<document_service, std::shared_ptr<document_service>>(m, "DocumentService",
                                                                   "One validated model; every method takes and returns JSON text.")
      .def(py::init<>(), release(), "The embedded default model (mesotherapy_face).")
      .def(py::init([](const std::string& model_json, const std::string& source) {
             py::gil_scoped_release released;
             return std::make_shared<document_service>(model_json, source);
           }),
           py::arg("model_json"), py::arg("source") = "model", "A model file's text.")
      .def("model_document", &document_service::model_document, release())
      .def("project", &document_service::project, py::arg("profile_json"), release())
      .def("assess", &document_service::assess, py::arg("profile_json"), py::arg("reports_json"), release())
      .def("plan", &document_service::plan, py::arg("request_json"), py::arg("clinic_json") = std::string(), release())
      .def("leaflet", &document_service::leaflet, py::arg("profile_json"), py::arg("clinic_json") = std::string(), release())
      .def(
          "simulate",
          [](const document_service& service, const std::string& population_json, std::optional<std::uint64_t> n,
             std::optional<std::uint64_t> seed, unsigned threads, py::object progress, bool rows) -> py::object {
            simulate_call call{n, seed, threads, python_progress(std::move(progress))};
            if (rows) return simulate_with_rows(service, population_json, call);
            return py::str(simulate_summary(service, population_json, call));
          },
          py::arg("population_json"), py::arg("n") = py::none(), py::arg("seed") = py::none(), py::arg("threads") = 0u,
          py::arg("progress") = py::none(), py::arg("rows") = false,
          "The cohort summary's text; with rows=True, (text, the rows' columns).");
}
