// The plan chart, for clinic staff: a dated timeline with one row per kind of item.
//
// Rows, top to bottom: sessions and maintenance (numbered markers), follow-ups, one row per
// aftercare window id and per paused medicine (bars from the first to the last day), events
// (marked met or not in words as well as by shape). Every item and event is one mark with a
// class ("item session", "event satisfied", ...) and a tooltip giving its dates and reason. Rows
// and tooltips name things in the model's words (an aftercare item's or a medicine's name, the
// protocol's), never by id; the classes keep the ids, as the JSON does.
#include "chart_axes.hpp"
#include "../core/wording.hpp"
#include "staff_words.hpp"
#include "svg_writer.hpp"

#include <aftermath/render/svg.hpp>

#include <boost/date_time/gregorian/gregorian.hpp>

#include <algorithm>
#include <optional>

namespace aftermath::inline render {
namespace {

using svg::document;

constexpr double chart_width = 960;  // clinic screens and landscape print
constexpr double margin = 16;
constexpr double row_height = 36;
constexpr double pad_days = 3;  // room before the first and after the last mark

/// One row of the timeline: its label and the items it holds.
struct timeline_row {
  std::string label;
  std::vector<const plan_item*> items;
  bool events = false;
};

/// Removes the last UTF-8 character, all of its bytes.
void drop_last_character(std::string& text) {
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
  if (!text.empty()) text.pop_back();
}

bool on_sessions_row(const plan_item& item) { return item.kind == plan_item_kind::session || item.kind == plan_item_kind::maintenance; }

/// Sessions first, then follow-ups, then a row per aftercare id and per medicine in order of
/// first appearance, then the events.
std::vector<timeline_row> rows_of(const treatment_plan& planned, const model& m) {
  std::vector<timeline_row> rows{{"Sessions", {}, false}, {"Follow-ups", {}, false}};
  std::vector<std::pair<plan_item_kind, std::string>> keys;
  for (const auto& item : planned.items) {
    if (on_sessions_row(item)) rows[0].items.push_back(&item);
    else if (item.kind == plan_item_kind::follow_up) rows[1].items.push_back(&item);
    else {
      const auto key = std::make_pair(item.kind, item.id);
      auto found = std::find(keys.begin(), keys.end(), key);
      if (found == keys.end()) {
        keys.push_back(key);
        const bool aftercare = item.kind == plan_item_kind::aftercare;
        rows.push_back({aftercare ? "Aftercare: " + staff::aftercare_name(m, item.id) : "Pause: " + staff::medicine_name(m, item.id), {}, false});
        found = keys.end() - 1;
      }
      rows[2 + static_cast<std::size_t>(found - keys.begin())].items.push_back(&item);
    }
  }
  if (!planned.events.empty()) rows.push_back({"Events", {}, true});
  return rows;
}

struct date_span {
  date first;
  double days = 0;
};

/// From a few days before the first mark to a few days after the last; none for an empty plan.
std::optional<date_span> span_of(const treatment_plan& planned) {
  std::optional<date> from, to;
  const auto include = [&](date a, date b) {
    if (a.is_special() || b.is_special()) return;
    if (!from || a < *from) from = a;
    if (!to || b > *to) to = b;
  };
  for (const auto& item : planned.items) include(item.from, std::max(item.from, item.until));
  for (const auto& event : planned.events) include(event.day, event.day);
  if (!from) return std::nullopt;
  const date first = *from - boost::gregorian::days(static_cast<long>(pad_days));
  return date_span{first, static_cast<double>((*to - first).days()) + 1 + pad_days};
}

std::string item_tooltip(const plan_item& item, const model& m) {
  std::string text = staff::item_label(m, item) + ": " + iso_date(item.from);
  if (item.until != item.from) text += " to " + iso_date(item.until);
  if (item.done) text += " (done)";
  const std::string& why = item.reason.empty() ? item.text : item.reason;
  return why.empty() ? text : text + ". " + why;
}

std::string title_of(const treatment_plan& planned, const model& m) {
  std::string title = "Plan";
  if (!planned.patient.empty()) title += " for " + planned.patient;
  if (!planned.protocol.empty()) title += ": " + staff::protocol_name(m, planned.protocol);
  if (!planned.feasible)
    title += " — NOT FEASIBLE as asked (" + std::to_string(planned.conflicts.size()) + " conflict" + (planned.conflicts.size() == 1 ? "" : "s") + ")";
  return title;
}

std::string description_of(const treatment_plan& planned, const model& m) {
  std::size_t sessions = 0;
  for (const auto& item : planned.items) sessions += on_sessions_row(item) ? 1 : 0;
  std::string text = title_of(planned, m) + ". " + std::to_string(planned.items.size()) + " items, " + std::to_string(sessions) +
                     " of them sessions or maintenance, from " + (planned.items.empty() ? "-" : iso_date(planned.items.front().from)) + ".";
  for (const auto& conflict : planned.conflicts) text += " Conflict [" + conflict.constraint + "]: " + conflict.text;
  for (const auto& event : planned.events)
    text += " Event " + event.name + " on " + iso_date(event.day) + ": " + (event.satisfied ? "met." : "NOT met.");
  return text;
}

/// The conflicts in words under the title: an infeasible plan must say why where it is seen.
std::vector<std::string> conflict_lines(const treatment_plan& planned) {
  std::vector<std::string> lines;
  for (const auto& conflict : planned.conflicts) {
    std::string text = "[" + conflict.constraint + "] " + conflict.text;
    if (conflict.nearest_feasible) text += " (nearest feasible: " + iso_date(*conflict.nearest_feasible) + ")";
    for (auto& line : chart::wrap_lines(text, chart_width - 2 * margin, font::small)) lines.push_back(std::move(line));
  }
  return lines;
}

std::vector<chart::legend_entry> legend() {
  using swatch = chart::legend_entry::swatch;
  return {{"session", swatch::marker, colour::blue, "circle"},
          {"session done", swatch::marker, colour::blue, "ring"},
          {"maintenance", swatch::marker, colour::reddish_purple, "diamond"},
          {"follow-up", swatch::marker, colour::black, "square"},
          {"aftercare window", swatch::bar, colour::bluish_green, ""},
          {"medication pause", swatch::bar, colour::vermillion, ""},
          {"event met", swatch::marker, colour::bluish_green, "star"},
          {"event NOT met", swatch::marker, colour::vermillion, "triangle_up"}};
}

/// Room for the row labels: the widest, within 120–240 px (longer ones are shortened, whole in their tooltip).
double label_column_for(const std::vector<timeline_row>& rows) {
  double widest = 0;
  for (const auto& row : rows) widest = std::max(widest, chart::text_width(row.label, font::body));
  return std::clamp(widest + 12, 120.0, 240.0);
}

class timeline {
 public:
  timeline(document& out, const model& m, const date_span& span, double label_column)
      : out_(out), model_(m), span_(span), label_column_(label_column), plot_left_(margin + label_column), plot_width_(chart_width - plot_left_ - margin),
        x_(0, span.days, plot_left_, plot_left_ + plot_width_) {}

  double x(date day, double offset = 0.5) const { return x_(static_cast<double>((day - span_.first).days()) + offset); }

  void axis(double top, double bottom) {
    chart::axis_ticks ticks;
    for (auto& tick : chart::date_ticks(span_.first, span_.days, plot_width_, font::small))
      ticks.positions.push_back(tick.day), ticks.labels.push_back(std::move(tick.label));
    chart::draw_x_axis(out_, x_, bottom, top, ticks.positions, ticks.labels);
  }

  void row_label(const std::string& label, double mid) {
    const double room = label_column_ - 8;
    std::string shown = label;
    if (chart::text_width(shown, font::body) > room) {
      while (!shown.empty() && chart::text_width(shown + "…", font::body) > room) drop_last_character(shown);
      shown += "…";
    }
    out_.open("text", {{"class", "row-label"}, {"x", margin}, {"y", mid + font::body * 0.35}, {"font-size", font::body}, {"fill", colour::black}});
    out_.text("tspan", {}, shown);
    if (shown != label) out_.tooltip(label);
    out_.close();
  }

  /// Sessions and maintenance: a numbered marker each; a number is left out where it would run
  /// into the one before (the tooltip still has it).
  void sessions(const timeline_row& row, double mid) {
    double free_from = -1e9;
    for (const plan_item* item : row.items) {
      const bool maintenance = item->kind == plan_item_kind::maintenance;
      const double px = x(item->from);
      const char* shape = maintenance ? "diamond" : item->done ? "ring" : "circle";
      const char* fill = maintenance ? colour::reddish_purple : colour::blue;
      chart::draw_marker(out_, shape, px, mid + 4, 6, fill, maintenance ? "item maintenance" : "item session", item_tooltip(*item, model_));
      const std::string number = (maintenance ? "M" : "") + std::to_string(item->number);
      const double half = chart::text_width(number, font::small) / 2;
      if (px - half < free_from) continue;
      out_.text("text", {{"x", px}, {"y", mid - 6}, {"font-size", font::small}, {"text-anchor", "middle"}, {"fill", colour::black}}, number);
      free_from = px + half + 3;
    }
  }

  void follow_ups(const timeline_row& row, double mid) {
    for (const plan_item* item : row.items) chart::draw_marker(out_, "square", x(item->from), mid, 6, colour::black, "item follow_up", item_tooltip(*item, model_));
  }

  /// Windows as bars over their days, the first day's start to the last day's end; at least 3 px.
  void windows(const timeline_row& row, double mid) {
    for (const plan_item* item : row.items) {
      const bool pause = item->kind == plan_item_kind::medication_pause;
      const double left = x(item->from, 0), right = std::max(x(std::max(item->until, item->from), 1), left + 3);
      out_.open("rect", {{"class", pause ? "item medication_pause" : "item aftercare"}, {"x", left}, {"y", mid - 8}, {"width", right - left},
                         {"height", 16}, {"fill", pause ? colour::vermillion : colour::bluish_green}, {"fill-opacity", bar_opacity}});
      out_.tooltip(item_tooltip(*item, model_));
      out_.close();
    }
  }

  void events(const treatment_plan& planned, double mid) {
    for (const auto& event : planned.events) {
      const double px = x(event.day);
      const std::string outcome = event.satisfied ? "met" : "NOT met";
      chart::draw_marker(out_, event.satisfied ? "star" : "triangle_up", px, mid + 4, 7, event.satisfied ? colour::bluish_green : colour::vermillion,
                         event.satisfied ? "event satisfied" : "event unsatisfied",
                         event.name + " on " + iso_date(event.day) + ": clear with at least " + detail::format_percent(event.chance_clear) + ", " +
                             detail::format_percent(event.confidence) + " asked: " + outcome);
      const bool right_half = px > plot_left_ + plot_width_ / 2;  // keep the label inside the chart
      out_.text("text", {{"class", "event-label"}, {"x", right_half ? px - 10 : px + 10}, {"y", mid - 6}, {"font-size", font::small},
                         {"text-anchor", right_half ? "end" : "start"}, {"fill", colour::black}},
                event.name + ": " + outcome);
    }
  }

 private:
  document& out_;
  const model& model_;
  date_span span_;
  double label_column_, plot_left_, plot_width_;
  chart::linear_scale x_;
};

}  // namespace

std::string to_svg(const treatment_plan& planned, const model& m) {
  const std::string title = title_of(planned, m);
  const auto title_lines = chart::wrap_lines(title, chart_width - 2 * margin, font::title);
  const auto conflicts = conflict_lines(planned);
  const auto entries = legend();
  const auto rows = rows_of(planned, m);
  const auto span = span_of(planned);

  const double title_bottom = margin + chart::lines_height(title_lines.size(), font::title);
  const double conflicts_bottom = title_bottom + chart::lines_height(conflicts.size(), font::small) + 4;
  const double rows_top = conflicts_bottom + chart::legend_height(entries, chart_width - 2 * margin) + 12;
  const double rows_bottom = rows_top + row_height * static_cast<double>(rows.size());
  const auto notice = chart::wrap_lines(planned.notice, chart_width - 2 * margin, font::small);
  const double height = rows_bottom + 24 + chart::lines_height(notice.size(), font::small) + margin;

  document out(chart_width, height, title, description_of(planned, m));
  chart::draw_lines(out, title_lines, margin, margin + font::title, font::title,
                    {{"class", "chart-title"}, {"font-size", font::title}, {"font-weight", "bold"}, {"fill", planned.feasible ? colour::black : colour::vermillion}});
  chart::draw_lines(out, conflicts, margin, title_bottom + font::small, font::small, {{"class", "conflicts"}, {"font-size", font::small}, {"fill", colour::black}});
  chart::draw_legend(out, entries, margin, conflicts_bottom, chart_width - 2 * margin);
  if (span) {
    timeline line(out, m, *span, label_column_for(rows));
    line.axis(rows_top, rows_bottom);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const double mid = rows_top + row_height * (static_cast<double>(r) + 0.5);
      out.open("g", {{"class", "row"}});
      line.row_label(rows[r].label, mid);
      if (rows[r].events) line.events(planned, mid);
      else if (r == 0) line.sessions(rows[r], mid);
      else if (r == 1) line.follow_ups(rows[r], mid);
      else line.windows(rows[r], mid);
      out.close();
    }
  }
  chart::draw_lines(out, notice, margin, rows_bottom + 24 + font::small, font::small, {{"class", "notice"}, {"font-size", font::small}, {"fill", colour::grey}});
  return out.finish();
}

}  // namespace aftermath::render
