// The cohort chart, for researchers: one cohort, or two overlaid on one axis.
//
// A column with two panels of small multiples, one strip per effect so that a text label, not a
// colour, says which curve is which:
//  - "panel visible": the chance of being visible on each day since the first session, for any
//    effect and for each effect, all on 0–100 %;
//  - "panel resolution": per effect, the share of the patients who had it that resolved on each
//    whole day after the last session.
// Two cohorts (two arms of a comparison) share the one column: every strip (a "strip" group)
// carries both arms on the same scales, so a difference reads as two marks apart on one axis
// rather than two columns to compare by eye. Arm 1 ("arm-1") is a solid line and filled bars,
// arm 2 ("arm-2") a dashed line and a dashed step outline over the bars; the pattern, not only
// the colour, tells them apart, and a legend at the top names each arm with its pattern. The
// scales are shared: the x axes are the longest of the two, and each effect's resolution strip
// is tall enough for both arms. Effects are matched by id: arm 1's in its order, then any only
// arm 2 has. One cohort is drawn as before, with no legend.
#include "chart_axes.hpp"
#include "../core/wording.hpp"
#include "svg_writer.hpp"

#include <aftermath/render/svg.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace aftermath::inline render {
namespace {

using svg::document;

constexpr double margin = 16;
constexpr double column_width = 464;
constexpr double axis_room = 48;      // y tick labels left of each strip
constexpr double strip_label = 16;    // the effect's name above its strip
constexpr double strip_height = 38;
constexpr double strip_gap = 6;
constexpr double strip_step = strip_label + strip_height + strip_gap;
constexpr double panel_title_height = 26;
constexpr double x_axis_room = 34;
constexpr double plot_width = column_width - axis_room - 8;

/// The two arms of an overlaid comparison: a colour each from Okabe–Ito's palette, and a dash
/// pattern for arm 2 so that the arms differ by more than colour.
constexpr const char* arm_colour[2] = {colour::blue, colour::vermillion};
constexpr const char* arm_class[2] = {"arm-1", "arm-2"};
constexpr const char* arm_dash = "6 4";  // as the legend's dashed swatch
constexpr double arm_bar_opacity = 0.45;  // light enough for arm 2's outline to show through

/// The overlay's legend: each arm's label with its line pattern.
std::vector<chart::legend_entry> arm_legend(const std::vector<labelled_cohort>& cohorts) {
  using swatch = chart::legend_entry::swatch;
  return {{cohorts[0].label, swatch::line, arm_colour[0], ""}, {cohorts[1].label, swatch::dashed_line, arm_colour[1], ""}};
}

/// What was simulated: n, seed and the session days (of each arm, under its label, when two).
std::string population_line(const labelled_cohort& cohort, bool with_label) {
  const auto& s = *cohort.summary;
  std::string sessions;
  for (int d : s.population.session_days) sessions += (sessions.empty() ? "" : ", ") + std::to_string(d);
  return (with_label ? cohort.label + ": " : std::string()) + "n = " + std::to_string(s.population.n) + ", seed " +
         std::to_string(s.population.seed) + "; sessions on days " + sessions;
}

/// The lines under an overlay's legend: each arm's population_line, wrapped to the column.
std::vector<std::string> arm_lines(const std::vector<labelled_cohort>& cohorts) {
  std::vector<std::string> lines;
  for (const auto& c : cohorts)
    for (auto& line : chart::wrap_lines(population_line(c, true), column_width, font::small)) lines.push_back(std::move(line));
  return lines;
}

/// The height of an overlay's heading: the legend, then the arms' lines.
double overlay_heading_height(const std::vector<labelled_cohort>& cohorts) {
  return chart::legend_height(arm_legend(cohorts), column_width) + 4 + chart::lines_height(arm_lines(cohorts).size(), font::small);
}

/// The effects of a summary as strips: "any" first in the visible panel.
std::vector<const effect_summary*> visible_strips(const cohort_summary& summary) {
  std::vector<const effect_summary*> strips{&summary.any};
  for (const auto& effect : summary.effects) strips.push_back(&effect);
  return strips;
}

/// The share of the affected patients resolving on each whole day (0 when none was affected).
double resolved_share(const day_summary& resolution, std::size_t day) {
  if (resolution.patients == 0 || day >= resolution.per_day.size()) return 0;
  return static_cast<double>(resolution.per_day[day]) / static_cast<double>(resolution.patients);
}

/// Days shown on the resolution axis: until 99.5 % of the affected patients of every effect in
/// every cohort have resolved (the far tail would squeeze the rest), at least a week.
double resolution_span(const std::vector<labelled_cohort>& cohorts) {
  std::size_t last = 7;
  for (const auto& c : cohorts)
    for (const auto& effect : c.summary->effects) {
      const auto& r = effect.resolution;
      if (r.patients == 0 || r.per_day.empty()) continue;
      std::uint64_t counted = 0;
      const std::size_t days_only = r.per_day.size() - 1;  // the last entry is the overflow
      for (std::size_t d = 0; d < days_only; ++d) {
        counted += r.per_day[d];
        if (static_cast<double>(counted) >= 0.995 * static_cast<double>(r.patients)) {
          last = std::max(last, d + 1);
          break;
        }
      }
    }
  return static_cast<double>(last);
}

/// Per effect (by position), the top of its resolution strip: the same in every column.
std::vector<double> resolution_tops(const std::vector<labelled_cohort>& cohorts, double span) {
  std::vector<double> tops;
  for (const auto& c : cohorts)
    for (std::size_t e = 0; e < c.summary->effects.size(); ++e) {
      double highest = 0;
      for (std::size_t d = 0; d < static_cast<std::size_t>(span); ++d) highest = std::max(highest, resolved_share(c.summary->effects[e].resolution, d));
      if (tops.size() <= e) tops.push_back(0);
      tops[e] = std::max(tops[e], highest);
    }
  for (double& top : tops) top = chart::nice_ceiling(std::max(top, 0.01));
  return tops;
}

double visible_span(const std::vector<labelled_cohort>& cohorts) {
  double span = 1;
  for (const auto& c : cohorts) span = std::max(span, static_cast<double>(c.summary->any.p_visible_by_day.size()) - 1);
  return span;
}

/// An overlaid strip: the same effect in arm 1 and arm 2 (either null when its arm lacks it).
struct effect_pair {
  const effect_summary* arm[2];
  const effect_summary& named() const { return arm[0] != nullptr ? *arm[0] : *arm[1]; }
};

/// The effects of two arms matched by id: arm 1's in its order, then those only arm 2 has.
std::vector<effect_pair> paired_effects(const cohort_summary& one, const cohort_summary& two) {
  std::vector<effect_pair> pairs;
  for (const auto& e : one.effects) pairs.push_back({{&e, nullptr}});
  for (const auto& e : two.effects) {
    const auto same = std::find_if(pairs.begin(), pairs.end(), [&](const effect_pair& p) { return p.arm[0] != nullptr && p.arm[0]->id == e.id && p.arm[1] == nullptr; });
    if (same != pairs.end()) same->arm[1] = &e;
    else pairs.push_back({{nullptr, &e}});
  }
  return pairs;
}

/// Per overlaid strip, the top of its resolution scale: enough for both arms.
std::vector<double> paired_tops(const std::vector<effect_pair>& pairs, double span) {
  std::vector<double> tops;
  for (const auto& p : pairs) {
    double highest = 0;
    for (const auto* e : p.arm)
      if (e != nullptr)
        for (std::size_t d = 0; d < static_cast<std::size_t>(span); ++d) highest = std::max(highest, resolved_share(e->resolution, d));
    tops.push_back(chart::nice_ceiling(std::max(highest, 0.01)));
  }
  return tops;
}

std::size_t most_effects(const std::vector<labelled_cohort>& cohorts) {
  std::size_t most = 0;
  for (const auto& c : cohorts) most = std::max(most, c.summary->effects.size());
  return most;
}

/// One cohort's column, or two cohorts overlaid in one (`overlaid`, arm 2, not null).
class cohort_column {
 public:
  cohort_column(document& out, const labelled_cohort& cohort, double left, const labelled_cohort* overlaid = nullptr)
      : out_(out), cohort_(cohort), overlaid_(overlaid), left_(left) {
    if (overlaid_ != nullptr) pairs_ = paired_effects(*cohort_.summary, *overlaid_->summary);
  }

  void heading(double top) {
    if (overlaid_ != nullptr) return overlay_heading(top);
    out_.text("text", {{"class", "cohort-label"}, {"x", left_}, {"y", top + font::heading}, {"font-size", font::heading}, {"font-weight", "bold"},
                       {"fill", colour::black}},
              cohort_.label);
    out_.text("text", {{"x", left_}, {"y", top + font::heading + 18}, {"font-size", font::small}, {"fill", colour::grey}},
              population_line(cohort_, false));
  }

  void visible_panel(double top, double span, std::size_t strips) {
    if (overlaid_ != nullptr) return overlay_visible_panel(top, span, strips);
    const auto& s = *cohort_.summary;
    out_.open("g", {{"class", "panel visible"}});
    panel_title(top, "Chance visible, by day since the first session");
    const chart::linear_scale x(0, span, plot_left(), plot_left() + plot_width);
    const auto effects = visible_strips(s);
    for (std::size_t k = 0; k < effects.size(); ++k) {
      const double strip_top = top + panel_title_height + strip_step * static_cast<double>(k) + strip_label;
      const chart::linear_scale y(0, 1, strip_top + strip_height, strip_top);
      strip_frame(*effects[k], strip_top, 1.0);
      for (int d : s.population.session_days)
        out_.add("line", {{"class", "session-day"}, {"x1", x(d)}, {"x2", x(d)}, {"y1", strip_top}, {"y2", strip_top + strip_height},
                          {"stroke", colour::grey}, {"stroke-dasharray", "3 3"}});
      chance_curve(effects[k]->p_visible_by_day, x, y, k == 0);
    }
    days_axis(x, top + panel_title_height + strip_step * static_cast<double>(strips) - strip_gap, span, "days since the first session");
    out_.close();
  }

  void resolution_panel(double top, double span, const std::vector<double>& tops) {
    if (overlaid_ != nullptr) return overlay_resolution_panel(top, span, tops);
    const auto& s = *cohort_.summary;
    out_.open("g", {{"class", "panel resolution"}});
    panel_title(top, "Day resolved, of the patients who had it");
    const chart::linear_scale x(0, span, plot_left(), plot_left() + plot_width);
    for (std::size_t e = 0; e < s.effects.size(); ++e) {
      const double strip_top = top + panel_title_height + strip_step * static_cast<double>(e) + strip_label;
      const chart::linear_scale y(0, tops[e], strip_top + strip_height, strip_top);
      strip_frame(s.effects[e], strip_top, tops[e]);
      histogram(s.effects[e].resolution, x, y, span, strip_top);
    }
    days_axis(x, top + panel_title_height + strip_step * static_cast<double>(tops.size()) - strip_gap, span, "days after the last session");
    out_.close();
  }

 private:
  double plot_left() const { return left_ + axis_room; }

  const labelled_cohort& arm(std::size_t k) const { return k == 0 ? cohort_ : *overlaid_; }

  void overlay_heading(double top) {
    const std::vector<labelled_cohort> arms{cohort_, *overlaid_};
    const auto legend = arm_legend(arms);
    chart::draw_legend(out_, legend, left_, top, column_width);
    chart::draw_lines(out_, arm_lines(arms), left_, top + chart::legend_height(legend, column_width) + 4 + font::small, font::small,
                      {{"class", "arms"}, {"font-size", font::small}, {"fill", colour::grey}});
  }

  /// Per strip, both arms' daily chance lines (no areas: two would hide each other) and both
  /// arms' session days, in the arm's colour and pattern.
  void overlay_visible_panel(double top, double span, std::size_t strips) {
    out_.open("g", {{"class", "panel visible"}});
    panel_title(top, "Chance visible, by day since the first session");
    const chart::linear_scale x(0, span, plot_left(), plot_left() + plot_width);
    std::vector<effect_pair> rows{{{&cohort_.summary->any, &overlaid_->summary->any}}};
    rows.insert(rows.end(), pairs_.begin(), pairs_.end());
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const double strip_top = top + panel_title_height + strip_step * static_cast<double>(k) + strip_label;
      const chart::linear_scale y(0, 1, strip_top + strip_height, strip_top);
      out_.open("g", {{"class", "strip"}});
      strip_frame(rows[k].named(), strip_top, 1.0);
      for (std::size_t a = 0; a < 2; ++a)
        for (int d : arm(a).summary->population.session_days)
          out_.add("line", {{"class", std::string("session-day ") + arm_class[a]}, {"x1", x(d)}, {"x2", x(d)}, {"y1", strip_top},
                            {"y2", strip_top + strip_height}, {"stroke", arm_colour[a]}, {"stroke-opacity", 0.6},
                            {"stroke-dasharray", a == 0 ? "none" : arm_dash}});
      for (std::size_t a = 0; a < 2; ++a)
        if (rows[k].arm[a] != nullptr) arm_curve(rows[k].arm[a]->p_visible_by_day, x, y, a);
      out_.close();
    }
    days_axis(x, top + panel_title_height + strip_step * static_cast<double>(strips) - strip_gap, span, "days since the first session");
    out_.close();
  }

  /// Per strip, arm 1's histogram as filled bars and arm 2's as a dashed step outline over them.
  void overlay_resolution_panel(double top, double span, const std::vector<double>& tops) {
    out_.open("g", {{"class", "panel resolution"}});
    panel_title(top, "Day resolved, of the patients who had it");
    const chart::linear_scale x(0, span, plot_left(), plot_left() + plot_width);
    for (std::size_t e = 0; e < pairs_.size(); ++e) {
      const auto& pair = pairs_[e];
      const double strip_top = top + panel_title_height + strip_step * static_cast<double>(e) + strip_label;
      const chart::linear_scale y(0, tops[e], strip_top + strip_height, strip_top);
      out_.open("g", {{"class", "strip"}});
      strip_frame(pair.named(), strip_top, tops[e]);
      const bool none[2] = {pair.arm[0] == nullptr || pair.arm[0]->resolution.patients == 0,
                            pair.arm[1] == nullptr || pair.arm[1]->resolution.patients == 0};
      if (none[0] && none[1]) no_patients(x, strip_top, "no patient had it");
      else
        for (std::size_t a = 0; a < 2; ++a)
          if (none[a]) no_patients(x, strip_top, arm(a).label + ": no patient had it");
      if (!none[0]) arm_bars(pair.arm[0]->resolution, x, y, span);
      if (!none[1]) arm_step(pair.arm[1]->resolution, x, y, span);
      out_.close();
    }
    days_axis(x, top + panel_title_height + strip_step * static_cast<double>(tops.size()) - strip_gap, span, "days after the last session");
    out_.close();
  }

  void arm_curve(const std::vector<probability>& chances, const chart::linear_scale& x, const chart::linear_scale& y, std::size_t a) {
    if (chances.empty()) return;
    svg::path_data line;
    for (std::size_t d = 0; d < chances.size(); ++d) {
      const double px = x(static_cast<double>(d)), py = y(chances[d].value());
      if (line.empty()) line.move_to(px, py);
      else line.line_to(px, py);
    }
    out_.add("path", {{"class", std::string("visible-chance ") + arm_class[a]}, {"d", line.str()}, {"fill", "none"}, {"stroke", arm_colour[a]},
                      {"stroke-width", 1.8}, {"stroke-dasharray", a == 0 ? "none" : arm_dash}});
  }

  void arm_bars(const day_summary& resolution, const chart::linear_scale& x, const chart::linear_scale& y, double span) {
    for (std::size_t d = 0; d < static_cast<std::size_t>(span); ++d) {
      const double share = resolved_share(resolution, d);
      if (share <= 0) continue;
      const double left = x(static_cast<double>(d)), right = x(static_cast<double>(d + 1));
      out_.add("rect", {{"class", std::string("bar ") + arm_class[0]}, {"x", left + 0.5}, {"y", y(share)}, {"width", std::max(right - left - 1, 1.0)},
                        {"height", y(0) - y(share)}, {"fill", arm_colour[0]}, {"fill-opacity", arm_bar_opacity}});
    }
  }

  /// The histogram's outline: along the top of each day's bar, down to 0 where none resolved.
  void arm_step(const day_summary& resolution, const chart::linear_scale& x, const chart::linear_scale& y, double span) {
    svg::path_data step;
    step.move_to(x(0), y(0));
    double previous = 0;
    const auto days = static_cast<std::size_t>(span);
    for (std::size_t d = 0; d < days; ++d) {
      const double share = resolved_share(resolution, d);
      if (share == previous) continue;
      step.line_to(x(static_cast<double>(d)), y(previous));
      step.line_to(x(static_cast<double>(d)), y(share));
      previous = share;
    }
    step.line_to(x(static_cast<double>(days)), y(previous));
    step.line_to(x(static_cast<double>(days)), y(0));
    out_.add("path", {{"class", std::string("bar-outline ") + arm_class[1]}, {"d", step.str()}, {"fill", "none"}, {"stroke", arm_colour[1]},
                      {"stroke-width", 1.8}, {"stroke-dasharray", arm_dash}});
  }

  /// Says an arm (or both) had nobody with the effect, at the strip's top right, clear of bars
  /// that mostly stand on the left.
  void no_patients(const chart::linear_scale& x, double strip_top, const std::string& text) {
    out_.text("text", {{"class", "no-patients"}, {"x", x.range_to() - 6}, {"y", strip_top + font::small + 2},
                       {"font-size", font::small}, {"fill", colour::grey}, {"text-anchor", "end"}},
              text);
  }

  void panel_title(double top, const std::string& text) {
    out_.text("text", {{"class", "panel-title"}, {"x", left_}, {"y", top + font::body + 4}, {"font-size", font::body}, {"font-weight", "bold"},
                       {"fill", colour::black}},
              text);
  }

  /// The strip's name, its frame and the labels of the bottom (0) and the top of its scale.
  void strip_frame(const effect_summary& effect, double strip_top, double scale_top) {
    out_.text("text", {{"class", "strip-label"}, {"x", plot_left()}, {"y", strip_top - 4}, {"font-size", font::small}, {"fill", colour::black}},
              effect.id == "any" ? "Any side effect" : effect.name);
    out_.add("rect", {{"x", plot_left()}, {"y", strip_top}, {"width", plot_width}, {"height", strip_height}, {"fill", "none"},
                      {"stroke", colour::light_grey}});
    out_.open("g", {{"font-size", font::small}, {"fill", colour::grey}, {"text-anchor", "end"}});
    out_.text("text", {{"x", plot_left() - 4}, {"y", strip_top + strip_height}}, "0");
    out_.text("text", {{"x", plot_left() - 4}, {"y", strip_top + font::small - 2}}, detail::format_percent(scale_top));
    out_.close();
  }

  void chance_curve(const std::vector<probability>& chances, const chart::linear_scale& x, const chart::linear_scale& y, bool any) {
    if (chances.empty()) return;
    svg::path_data area, line;
    area.move_to(x(0), y(0));
    for (std::size_t d = 0; d < chances.size(); ++d) {
      const double px = x(static_cast<double>(d)), py = y(chances[d].value());
      area.line_to(px, py);
      if (line.empty()) line.move_to(px, py);
      else line.line_to(px, py);
    }
    area.line_to(x(static_cast<double>(chances.size() - 1)), y(0));
    area.close();
    const char* tone = any ? colour::black : colour::blue;
    out_.add("path", {{"class", "visible-area"}, {"d", area.str()}, {"fill", any ? colour::grey : colour::sky_blue}, {"fill-opacity", 0.3}});
    out_.add("path", {{"class", "visible-chance"}, {"d", line.str()}, {"fill", "none"}, {"stroke", tone}, {"stroke-width", 1.8}});
  }

  void histogram(const day_summary& resolution, const chart::linear_scale& x, const chart::linear_scale& y, double span, double strip_top) {
    if (resolution.patients == 0) {
      out_.text("text", {{"class", "no-patients"}, {"x", x.range_from() + 8}, {"y", strip_top + strip_height / 2 + 4}, {"font-size", font::small},
                         {"fill", colour::grey}},
                "no patient had it");
      return;
    }
    for (std::size_t d = 0; d < static_cast<std::size_t>(span); ++d) {
      const double share = resolved_share(resolution, d);
      if (share <= 0) continue;
      const double left = x(static_cast<double>(d)), right = x(static_cast<double>(d + 1));
      out_.add("rect", {{"class", "bar"}, {"x", left + 0.5}, {"y", y(share)}, {"width", std::max(right - left - 1, 1.0)},
                        {"height", y(0) - y(share)}, {"fill", colour::orange}});
    }
  }

  void days_axis(const chart::linear_scale& x, double y, double span, const std::string& caption) {
    std::vector<std::string> labels;
    const auto ticks = chart::day_ticks(span, plot_width, font::small);
    for (double t : ticks) labels.push_back(svg::number(t));
    chart::draw_x_axis(out_, x, y, y, ticks, labels);
    out_.text("text", {{"x", plot_left() + plot_width / 2}, {"y", y + 4 + font::small * 2 + 4}, {"font-size", font::small}, {"fill", colour::grey},
                       {"text-anchor", "middle"}},
              caption);
  }

  document& out_;
  const labelled_cohort& cohort_;
  const labelled_cohort* overlaid_;  ///< arm 2 of an overlay, or null
  std::vector<effect_pair> pairs_;   ///< an overlay's effects, matched by id
  double left_;
};

std::string title_of(const std::vector<labelled_cohort>& cohorts) {
  return cohorts.size() == 1 ? "Cohort simulation: " + cohorts[0].label
                             : "Cohort simulations compared: " + cohorts[0].label + " and " + cohorts[1].label;
}

std::string description_of(const std::vector<labelled_cohort>& cohorts) {
  std::string text = title_of(cohorts) + ".";
  for (const auto& c : cohorts) {
    text += " " + c.label + ": " + std::to_string(c.summary->population.n) + " patients;";
    for (const auto& effect : c.summary->effects) {
      text += " " + effect.name + " " + detail::format_percent(effect.occurs.value());
      if (effect.resolution.p50) text += ", resolved a median " + svg::number(*effect.resolution.p50) + " days after the last session";
      text += ";";
    }
  }
  return text;
}

}  // namespace

std::string to_svg(const std::vector<labelled_cohort>& cohorts) {
  if (cohorts.empty() || cohorts.size() > 2) throw std::invalid_argument("a cohort chart shows 1 or 2 cohorts, not " + std::to_string(cohorts.size()));
  for (const auto& c : cohorts)
    if (c.summary == nullptr) throw std::invalid_argument("cohort '" + c.label + "' has no summary");

  const bool overlay = cohorts.size() == 2;
  const double width = margin * 2 + column_width;
  const std::string title = title_of(cohorts);
  const auto title_lines = chart::wrap_lines(title, width - 2 * margin, font::title);
  const auto notice = chart::wrap_lines(cohorts[0].summary->notice, width - 2 * margin, font::small);
  const auto pairs = overlay ? paired_effects(*cohorts[0].summary, *cohorts[1].summary) : std::vector<effect_pair>{};
  const std::size_t effects = overlay ? pairs.size() : most_effects(cohorts);
  const double span_visible = visible_span(cohorts), span_resolution = resolution_span(cohorts);
  const auto tops = overlay ? paired_tops(pairs, span_resolution) : resolution_tops(cohorts, span_resolution);

  const double heading_top = margin + chart::lines_height(title_lines.size(), font::title);
  const double visible_top = heading_top + (overlay ? overlay_heading_height(cohorts) + 12 : 44);
  const double resolution_top = visible_top + panel_title_height + strip_step * static_cast<double>(effects + 1) + x_axis_room + 16;
  const double notice_top = resolution_top + panel_title_height + strip_step * static_cast<double>(effects) + x_axis_room + 12;
  const double height = notice_top + chart::lines_height(notice.size(), font::small) + margin;

  document out(width, height, title, description_of(cohorts));
  chart::draw_lines(out, title_lines, margin, margin + font::title, font::title,
                    {{"class", "chart-title"}, {"font-size", font::title}, {"font-weight", "bold"}, {"fill", colour::black}});
  cohort_column column(out, cohorts[0], margin, overlay ? &cohorts[1] : nullptr);
  out.open("g", {{"class", overlay ? "cohort overlay" : "cohort"}});
  column.heading(heading_top);
  column.visible_panel(visible_top, span_visible, effects + 1);
  column.resolution_panel(resolution_top, span_resolution, tops);
  out.close();
  chart::draw_lines(out, notice, margin, notice_top + font::small, font::small, {{"class", "notice"}, {"font-size", font::small}, {"fill", colour::grey}});
  return out.finish();
}

}  // namespace aftermath::render
