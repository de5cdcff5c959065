// aftermath: recovery after minimally invasive injection treatments.
//
// Start here. The data flow runs one way:
//
//   model data (JSON; the default mesotherapy_face model is embedded)   model.hpp, io/json.hpp
//     │ parse_model / default_model — validated, every problem with its JSON path
//     ▼
//   model ──► personalise(model, profile)                                profile.hpp
//     ▼
//   personal_course (per effect and session: incidence, amplitude,       course.hpp
//     │          time scale, individual variability)
//     ├── project(course) → projection (bands, P(visible), resolution)  projection.hpp
//     ├── assess(model, course, reports) → assessment (each report       assessment.hpp
//     │          against its band, triage with reasons, updated healing)
//     └── make_leaflet(model, profile, projection, clinic) → leaflet:    leaflet.hpp
//                what to expect, in the model's (or the clinic's) words   clinic.hpp
//                with the patient's dates; HTML and Markdown out         render/leaflet.hpp
//
//   plan(model, request) → treatment_plan: sessions, follow-ups,          plan.hpp
//        aftercare windows and medication pauses dated on the clinic's
//        calendar (open weekdays, holidays, closures)                     calendar.hpp
//        under the recovery gate and the patient's dates; iCalendar out   io/icalendar.hpp
//
//   gate_breaches(model, profile) → the sessions of a given course that   recovery_gate.hpp
//        come before its protocol's recovery gate allows, by the rule the
//        plan follows; project(model, profile) adds them to the projection
//
//   population (prevalences or weighted profiles, protocol or days, n, seed)  simulation.hpp
//     └── simulate(model, population) → cohort_tally (integer counts; shards add up exactly;
//           per-patient outcomes to a sink, e.g. io/csv.hpp's cohort_rows_csv)
//           └── summarise → cohort_summary (incidence, resolution and visible-day
//                 distributions, daily chance of being visible)
//     └── simulate_paired(model, population, compared) → both arms' tallies on the same      comparison.hpp
//           patients and the exact sums of each patient's difference; summarise_difference
//           → per effect the paired difference with its standard error and 95 % interval
//     └── simulate_replicates(model, population, R) → the summary with each figure's    uncertainty.hpp
//           interval across R parameter sets drawn from the model's uncertainties
//           (model_parameters(model): every number with its id, scale and SD)
//     mpi::simulate(model, population, comm): the same over MPI ranks   mpi.hpp (not included
//           here: it needs MPI; CMake target aftermath::mpi)
//
//   sobol_indices(inputs, f, options) → each input's share of the variance of f(u) on the unit  sensitivity.hpp
//        cube: first-order and total Sobol indices with bootstrap intervals (Saltelli's design;
//        generic, for the model's uncertain parameters or anything else)
//
//   to_svg(projection | assessment | treatment_plan | cohorts) → a chart   render/svg.hpp
//        as standalone SVG: the patient's bands, reports on them, the plan's
//        timeline, one or two cohorts side by side
//
//   project, assess, the plan's recovery gate and event checks and the leaflet's dates all run on
//   one internal engine, src/core/effect_engine.hpp (its opening comment: how, and the error bound).
//
//   validate(model, profile | reports | request | population) → every problem the service would   validate.hpp
//        refuse, with its path, before any work
//
//   document_service: the services over JSON documents (the command's, byte for byte), behind   service/documents.hpp
//        a narrow header with no Eigen, Boost or JSON library in it; the C ABI (c/aftermath.h,
//        libaftermath_c.so) and the Python module stand on it
//   cds_hooks_service: CDS Hooks cards (patient-view, appointment-book) from FHIR resources  service/cds_hooks.hpp
//        (read as io/fhir.hpp maps them; io/cds_hooks.hpp reads the requests and writes the
//        cards); `aftermath serve` (src/serve/) puts both services on HTTP
//
//   curve.hpp  the rise-and-decay shape;  units.hpp  days, severity, probability;
//   error.hpp  input_error.
//
// Four layers, one way, enforced by the build: the core (the headers in this folder) computes
// and never reads or writes; io/ reads and writes the formats (JSON, iCalendar, CSV) and holds
// the embedded default model and holiday sets; render/ draws what people look at (SVG charts,
// the leaflet's HTML and Markdown, text tables); service/ joins them into whole documents in and
// out, for the boundaries to other languages.
//
// The numbers are evidence-informed estimates, not medical advice: see the model's notice.
#pragma once

#include <aftermath/detail/cxx20.hpp>

#include <aftermath/assessment.hpp>
#include <aftermath/calendar.hpp>
#include <aftermath/clinic.hpp>
#include <aftermath/comparison.hpp>
#include <aftermath/course.hpp>
#include <aftermath/curve.hpp>
#include <aftermath/error.hpp>
#include <aftermath/io/cds_hooks.hpp>
#include <aftermath/io/csv.hpp>
#include <aftermath/io/fhir.hpp>
#include <aftermath/io/icalendar.hpp>
#include <aftermath/io/json.hpp>
#include <aftermath/leaflet.hpp>
#include <aftermath/model.hpp>
#include <aftermath/plan.hpp>
#include <aftermath/profile.hpp>
#include <aftermath/projection.hpp>
#include <aftermath/recovery_gate.hpp>
#include <aftermath/validate.hpp>
#include <aftermath/render/leaflet.hpp>
#include <aftermath/render/svg.hpp>
#include <aftermath/render/text.hpp>
#include <aftermath/sensitivity.hpp>
#include <aftermath/service/cds_hooks.hpp>
#include <aftermath/service/documents.hpp>
#include <aftermath/simulation.hpp>
#include <aftermath/uncertainty.hpp>
#include <aftermath/units.hpp>
#include <aftermath/version.hpp>
