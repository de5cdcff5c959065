// The cohort chart, for researchers: one or two cohorts side by side on shared scales.
//
// Each cohort is a column with two panels of small multiples, one strip per effect so that a
// text label, not a colour, says which curve is which:
//  - "panel visible": the chance of being visible on each day since the first session, for any
//    effect and for each effect, all on 0–100 %;
//  - "panel resolution": per effect, the share of the patients who had it that resolved on each
//    whole day after the last session; each effect's strip has the same scale in both columns.
// The x axes are shared between the columns as well, so the eye compares like with like.
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

std::size_t most_effects(const std::vector<labelled_cohort>& cohorts) {
  std::size_t most = 0;
  for (const auto& c : cohorts) most = std::max(most, c.summary->effects.size());
  return most;
}

class cohort_column {
 public:
  cohort_column(document& out, const labelled_cohort& cohort, double left) : out_(out), cohort_(cohort), left_(left) {}

  void heading(double top) {
    const auto& s = *cohort_.summary;
    out_.text("text", {{"class", "cohort-label"}, {"x", left_}, {"y", top + font::heading}, {"font-size", font::heading}, {"font-weight", "bold"},
                       {"fill", colour::black}},
              cohort_.label);
    std::string sessions;
    for (int d : s.population.session_days) sessions += (sessions.empty() ? "" : ", ") + std::to_string(d);
    out_.text("text", {{"x", left_}, {"y", top + font::heading + 18}, {"font-size", font::small}, {"fill", colour::grey}},
              "n = " + std::to_string(s.population.n) + ", seed " + std::to_string(s.population.seed) + "; sessions on days " + sessions);
  }

  void visible_panel(double top, double span, std::size_t strips) {
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

  const double width = margin * 2 + column_width * static_cast<double>(cohorts.size());
  const std::string title = title_of(cohorts);
  const auto title_lines = chart::wrap_lines(title, width - 2 * margin, font::title);
  const auto notice = chart::wrap_lines(cohorts[0].summary->notice, width - 2 * margin, font::small);
  const std::size_t effects = most_effects(cohorts);
  const double span_visible = visible_span(cohorts), span_resolution = resolution_span(cohorts);
  const auto tops = resolution_tops(cohorts, span_resolution);

  const double heading_top = margin + chart::lines_height(title_lines.size(), font::title);
  const double visible_top = heading_top + 44;
  const double resolution_top = visible_top + panel_title_height + strip_step * static_cast<double>(effects + 1) + x_axis_room + 16;
  const double notice_top = resolution_top + panel_title_height + strip_step * static_cast<double>(effects) + x_axis_room + 12;
  const double height = notice_top + chart::lines_height(notice.size(), font::small) + margin;

  document out(width, height, title, description_of(cohorts));
  chart::draw_lines(out, title_lines, margin, margin + font::title, font::title,
                    {{"class", "chart-title"}, {"font-size", font::title}, {"font-weight", "bold"}, {"fill", colour::black}});
  for (std::size_t k = 0; k < cohorts.size(); ++k) {
    cohort_column column(out, cohorts[k], margin + column_width * static_cast<double>(k));
    out.open("g", {{"class", "cohort"}});
    column.heading(heading_top);
    column.visible_panel(visible_top, span_visible, effects + 1);
    column.resolution_panel(resolution_top, span_resolution, tops);
    out.close();
  }
  chart::draw_lines(out, notice, margin, notice_top + font::small, font::small, {{"class", "notice"}, {"font-size", font::small}, {"fill", colour::grey}});
  return out.finish();
}

}  // namespace aftermath::render
