// Writing SVG by hand: elements, attributes, escaped text and numbers that are always finite.
#pragma once
#define AFTERMATH_HEADER_LAYER 3
#include <aftermath/detail/layer.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace aftermath::inline render::svg {

/// Text made safe for XML character data and attribute values: & < > " ' become entities;
/// characters XML 1.0 forbids (control characters, bytes that are not UTF-8) become U+FFFD,
/// so no caller's string can make the document ill-formed.
std::string escape(std::string_view text);

/// A coordinate or length with at most two decimals, without trailing zeros and independent of
/// the locale. NaN is written as 0 and infinities as ±1e6: never "nan" or "inf".
std::string number(double value);

/// One attribute: its value is escaped (text) or formatted (number) on construction.
class attribute {
 public:
  attribute(std::string_view name, std::string_view text) : name_(name), value_(escape(text)) {}
  attribute(std::string_view name, const char* text) : attribute(name, std::string_view(text)) {}
  attribute(std::string_view name, const std::string& text) : attribute(name, std::string_view(text)) {}
  attribute(std::string_view name, double value) : name_(name), value_(number(value)) {}
  attribute(std::string_view name, int value) : name_(name), value_(std::to_string(value)) {}

  std::string_view name() const { return name_; }
  const std::string& value() const { return value_; }

 private:
  std::string_view name_;
  std::string value_;
};

using attributes = std::initializer_list<attribute>;

/// An SVG document written from top to bottom. The root has a viewBox of the natural size and
/// width/height attributes that CSS may override (width: 100%), then <title>, <desc> and a
/// white background; elements are closed in order, and `finish` closes what is still open.
class document {
 public:
  document(double width, double height, std::string_view title, std::string_view description);

  /// <name attributes...> — closed by `close`.
  void open(std::string_view name, attributes list = {});
  void close();
  /// <name attributes.../>
  void add(std::string_view name, attributes list);
  /// <name attributes...>text</name>; nothing at all when the text is empty (an empty label is not drawn).
  void text(std::string_view name, attributes list, std::string_view content);
  /// <title>text</title> inside the element open now: a tooltip and an accessible name.
  void tooltip(std::string_view content) { text("title", {}, content); }

  /// The whole document, every element closed.
  std::string finish();

 private:
  void start_tag(std::string_view name, attributes list);
  void indent();

  std::string out_;
  std::vector<std::string> open_;
};

/// A path's "d" built from points: M x y L x y ...; non-finite coordinates are clamped by `number`.
class path_data {
 public:
  void move_to(double x, double y);
  void line_to(double x, double y);
  void close() { d_ += " Z"; }
  bool empty() const { return d_.empty(); }
  const std::string& str() const { return d_; }

 private:
  void point(char command, double x, double y);
  std::string d_;
};

}  // namespace aftermath::render::svg
