#include "parse/parser.h"

#include "parse/grammar.h"
#include "parse/layout.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace snnc::parse {

const std::vector<std::string>& top_level_keywords() {
  static const std::vector<std::string> k = {
      "dt",      "seed",   "import", "const",   "neuron", "synapse", "neurons", "synapses",
      "poisson", "spikes", "timed",  "monitor", "at",     "every",   "run",     "poisson_input"};
  return k;
}
const std::vector<std::string>& neuron_block_keywords() {
  static const std::vector<std::string> k = {"equations",  "const",  "threshold", "reset",
                                             "refractory", "method", "init",      "events",
                                             "on_event",   "link"};
  return k;
}
const std::vector<std::string>& synapse_block_keywords() {
  static const std::vector<std::string> k = {
      "model", "const",      "on_pre", "on_post", "connect",
      "delay", "delay_post", "method", "init",    "multisynaptic_index"};
  return k;
}

namespace {

// The part of `l` from `offset` on, as a line of its own (an inline block:
// `neuron RS(Izhikevich): const d = 8*mV/ms`).
Line tail(const Line& l, std::size_t offset) {
  Line t;
  t.text = l.text.substr(offset);
  t.locs.assign(l.locs.begin() + static_cast<long>(offset), l.locs.end());
  t.indent = l.indent + 1;
  t.opens_block = l.opens_block;
  t.children = l.children;
  return t;
}

// The end of the identifier at offset k of t (k itself if there is none).
std::size_t word_end(const std::string& t, std::size_t k) {
  std::size_t e = k;
  if (e < t.size() && (std::isalpha(static_cast<unsigned char>(t[e])) || t[e] == '_'))
    while (e < t.size() && (std::isalnum(static_cast<unsigned char>(t[e])) || t[e] == '_'))
      ++e;
  return e;
}

// The identifier at the start of the line ("" if none) and the offset after it.
std::pair<std::string, std::size_t> first_word(const Line& l) {
  std::size_t e = word_end(l.text, 0);
  return {l.text.substr(0, e), e};
}

std::size_t skip(const std::string& t, std::size_t k) {
  while (k < t.size() && t[k] == ' ')
    ++k;
  return k;
}

class Walker {
public:
  Walker(Diagnostics& diag) : diag_(diag) {}

  void top(const Line& l, ast::File& file) {
    auto [word, end] = first_word(l);
    ast::Item item;
    auto add = [&](ast::Item::Kind k) {
      item.kind = k;
      file.items.push_back(std::move(item));
    };
    // `neuron.I = ...`: a group may be named like a keyword.
    std::size_t after = skip(l.text, end);
    bool member = after < l.text.size() && l.text[after] == '.';
    if (member) {
      statement_line(l, file);
    } else if (word == "const") {
      if (parse_const(l, 0, item.constant, diag_)) add(ast::Item::Kind::constant);
    } else if (word == "import") {
      if (parse_import(l, item.import, diag_)) add(ast::Item::Kind::import);
    } else if (word == "neuron" || word == "synapse") {
      Offset rest = parse_template_header(l, item.template_, diag_);
      if (!rest) return;
      bool neuron = item.template_.kind == ast::Template::Kind::neuron;
      body(with_inline_body(l, *rest), item.template_.body, neuron);
      add(ast::Item::Kind::template_);
    } else if (word == "neurons") {
      Offset rest = parse_neurons_header(l, item.neurons, diag_);
      if (!rest) return;
      body(with_inline_body(l, *rest), item.neurons.body, true);
      add(ast::Item::Kind::neurons);
    } else if (word == "synapses") {
      Offset rest = parse_synapses_header(l, item.synapses, diag_);
      if (!rest) return;
      body(with_inline_body(l, *rest), item.synapses.body, false);
      add(ast::Item::Kind::synapses);
    } else if (word == "poisson") {
      if (parse_poisson(l, item.poisson, diag_)) add(ast::Item::Kind::poisson);
    } else if (word == "spikes") {
      if (parse_spikes(l, item.spikes, diag_)) add(ast::Item::Kind::spikes);
    } else if (word == "timed") {
      if (parse_timed(l, item.timed, diag_)) add(ast::Item::Kind::timed);
    } else if (word == "poisson_input") {
      if (parse_poisson_input(l, item.poisson_input, diag_)) add(ast::Item::Kind::poisson_input);
    } else if (word == "monitor") {
      if (parse_monitor(l, item.monitor, diag_)) add(ast::Item::Kind::monitor);
    } else if (word == "run") {
      if (parse_run(l, item.run, diag_)) add(ast::Item::Kind::run);
    } else if ((word == "store" || word == "restore") && !is_statement_start(l, end)) {
      item.snapshot.loc = l.loc();
      item.snapshot.restore = word == "restore";
      std::size_t rest = skip(l.text, end);
      if (rest >= l.text.size()) {
        item.snapshot.name = {"default", l.loc()};
        add(ast::Item::Kind::snapshot);
      } else if (parse_identifier(l, rest, item.snapshot.name, diag_)) {
        add(ast::Item::Kind::snapshot);
      }
    } else if (word == "at" || word == "every") {
      Offset rest = parse_event_header(l, item.event, diag_);
      if (!rest) return;
      if (statements(l, *rest, item.event.statements)) add(ast::Item::Kind::event);
    } else if ((word == "dt" || word == "seed") && is_assignment(l, end)) {
      if (parse_setting(l, item.setting, diag_)) add(ast::Item::Kind::setting);
    } else if (!word.empty() && is_statement_start(l, end)) {
      statement_line(l, file);
    } else {
      std::string what = word.empty() ? "'" + l.text.substr(0, 1) + "'" : "'" + word + "'";
      diag_.error(l.loc(), "expected a declaration (const, neurons, synapses, monitor, run, ...) "
                           "or a statement, found " +
                               what + did_you_mean(word, top_level_keywords()));
    }
  }

private:
  void statement_line(const Line& l, ast::File& file) {
    std::vector<ir::Statement> ss;
    if (!parse_statements(l, 0, ss, diag_)) return;
    for (ir::Statement& s : ss) {
      ast::Item st;
      st.kind = ast::Item::Kind::statement;
      st.statement = std::move(s);
      file.items.push_back(std::move(st));
    }
  }

  // `x =`, `x +=`, `x.`, `x[` ...: the start of a statement.
  static bool is_statement_start(const Line& l, std::size_t end) {
    std::size_t k = skip(l.text, end);
    if (k >= l.text.size()) return false;
    char c = l.text[k];
    if (c == '.' || c == '[') return true;
    if (c == '=') return k + 1 >= l.text.size() || l.text[k + 1] != '=';
    return k + 1 < l.text.size() && l.text[k + 1] == '=' &&
           std::string("+-*/").find(c) != std::string::npos;
  }
  static bool is_assignment(const Line& l, std::size_t end) {
    std::size_t k = skip(l.text, end);
    return k < l.text.size() && l.text[k] == '=' &&
           (k + 1 >= l.text.size() || l.text[k + 1] != '=');
  }

  // A header line whose body is the rest of the line after ':' (if any) or
  // its indented block.
  static Line with_inline_body(const Line& l, std::size_t rest) {
    if (rest >= l.text.size()) return l;
    Line h = l;
    h.children = {tail(l, rest)};
    return h;
  }

  // Statements inline after ':' or one or more per child line.
  bool statements(const Line& l, std::size_t rest, std::vector<ir::Statement>& out) {
    bool ok = true;
    if (rest < l.text.size()) return parse_statements(l, rest, out, diag_);
    for (const Line& c : l.children) {
      std::vector<ir::Statement> ss;
      if (!parse_statements(c, 0, ss, diag_)) {
        ok = false;
        continue;
      }
      for (auto& s : ss)
        out.push_back(std::move(s));
    }
    return ok;
  }

  // A single expression, inline or as the only child line.
  bool expression(const Line& l, std::size_t rest, ir::ExprPtr& out, const std::string& key) {
    if (rest < l.text.size()) return parse_expression(l, rest, out, diag_);
    if (l.children.empty()) {
      // Only reachable when the layout dropped the block's only line (it ended
      // in ':' itself) and reported that; say more only if it did not.
      if (!diag_.has_errors()) diag_.error(l.loc(), fmt::format("'{}:' needs an expression", key));
      return false;
    }
    if (l.children.size() != 1) {
      diag_.error(l.children[1].loc(), fmt::format("'{}:' takes a single expression", key));
      return false;
    }
    return parse_expression(l.children[0], 0, out, diag_);
  }

  void body(const Line& header, ast::Body& b, bool neuron) {
    b.loc = header.loc();
    const auto& allowed = neuron ? neuron_block_keywords() : synapse_block_keywords();
    std::vector<std::string> seen;
    for (const Line& l : header.children) {
      auto [word, end] = first_word(l);
      if (word == "const") {
        ast::Const c;
        if (parse_const(l, 0, c, diag_)) b.consts.push_back(std::move(c));
        continue;
      }
      std::size_t colon = skip(l.text, end);
      // A named pathway (`on_pre up:`, `on_post back:`, `delay up:`), one
      // run on a custom event (`on_pre up on burst:`, `on_pre on burst:`),
      // or an event's statements (`on_event burst:`).
      ast::Ident pathway, event;
      const bool pathway_block = word == "on_pre" || word == "on_post";
      if ((pathway_block || word == "delay" || word == "on_event") && colon < l.text.size() &&
          l.text[colon] != ':') {
        // [NAME] [on EVENT] ':'
        auto ident_at = [&](std::size_t at, ast::Ident& out) {
          std::size_t e = word_end(l.text, at);
          out = {l.text.substr(at, e - at), l.loc_at(at)};
          return skip(l.text, e);
        };
        ast::Ident name, on, ev;
        std::size_t k = ident_at(colon, name);
        if (pathway_block && name.name == "on") { // `on_pre on burst:`
          k = ident_at(k, ev);
          name = {};
        } else if (pathway_block && !name.name.empty() && k < l.text.size() && l.text[k] != ':') {
          std::size_t after = ident_at(k, on);
          if (on.name == "on") k = ident_at(after, ev);
        }
        bool named = !name.name.empty() || !ev.name.empty();
        bool complete = on.name.empty() || (on.name == "on" && !ev.name.empty());
        if (named && complete && k < l.text.size() && l.text[k] == ':') {
          pathway = name;
          event = ev;
          colon = k;
        }
      }
      if (word.empty() || colon >= l.text.size() || l.text[colon] != ':') {
        std::string hint = neuron ? "equations" : "model";
        diag_.error(l.loc(),
                    fmt::format("expected a block such as '{}:', 'const', 'init:' in this "
                                "{}, found {}",
                                hint, neuron ? "neuron definition" : "synapse definition",
                                word.empty() ? "'" + l.text.substr(0, 1) + "'" : "'" + word + "'"));
        continue;
      }
      ast::Ident key{word, l.loc()};
      std::size_t rest = skip(l.text, colon + 1);
      if (word == "equations" || word == "model") word = neuron ? "equations" : "model";
      if (std::find(allowed.begin(), allowed.end(), word) == allowed.end()) {
        std::string other_kind = neuron ? "synapses" : "neurons";
        const auto& other = neuron ? synapse_block_keywords() : neuron_block_keywords();
        if (std::find(other.begin(), other.end(), word) != other.end())
          diag_.error(key.loc, fmt::format("'{}:' belongs to {}, not to {}", word, other_kind,
                                           neuron ? "neurons" : "synapses"));
        else
          diag_.error(key.loc,
                      fmt::format("unknown block '{}:'{}", word, did_you_mean(word, allowed)));
        continue;
      }
      if (word == "on_event" && pathway.name.empty()) {
        diag_.error(key.loc, "'on_event' needs the event's name: 'on_event NAME:' (an event "
                             "of the group's 'events:')");
        continue;
      }
      // The pathway a block is about: on_pre and delay are 'pre''s, on_post
      // and delay_post 'post''s, unless named.
      if (pathway.name.empty() && (word == "on_pre" || word == "delay")) pathway = {"pre", key.loc};
      if (pathway.name.empty() && (word == "on_post" || word == "delay_post"))
        pathway = {"post", key.loc};
      const bool is_delay = word == "delay" || word == "delay_post";
      std::string seen_as = word;
      if (!pathway.name.empty())
        seen_as = (is_delay ? "delay " : word == "on_event" ? "on_event " : "on_ ") + pathway.name;
      if (std::find(seen.begin(), seen.end(), seen_as) != seen.end()) {
        if (pathway.name.empty())
          diag_.error(key.loc, fmt::format("duplicate '{}:' block", word));
        else if (word == "on_event")
          diag_.error(key.loc, fmt::format("duplicate statements of the event '{}'", pathway.name));
        else
          diag_.error(key.loc, fmt::format("duplicate {} of the pathway '{}'",
                                           is_delay ? "delay" : "statements", pathway.name));
        continue;
      }
      seen.push_back(seen_as);
      if (word == "equations" || word == "model") {
        b.has_equations = true;
        b.equations_loc = key.loc;
        if (rest < l.text.size()) {
          ast::Equation eq;
          if (parse_equation(l, rest, eq, diag_)) b.equations.push_back(std::move(eq));
        }
        for (const Line& c : l.children) {
          ast::Equation eq;
          if (parse_equation(c, 0, eq, diag_)) b.equations.push_back(std::move(eq));
        }
      } else if (word == "threshold" || word == "refractory" || is_delay) {
        ir::ExprPtr e;
        if (!expression(l, rest, e, word)) continue;
        if (word == "threshold")
          b.threshold = e;
        else if (word == "refractory")
          b.refractory = e;
        else
          b.delays.push_back({pathway, e});
      } else if (word == "link") {
        if (rest < l.text.size()) link_line(tail(l, rest), b);
        for (const Line& c : l.children)
          link_line(c, b);
      } else if (word == "events") {
        b.events_loc = key.loc;
        if (rest < l.text.size()) event_condition(tail(l, rest), b);
        for (const Line& c : l.children)
          event_condition(c, b);
      } else if (word == "method" || word == "multisynaptic_index") {
        ast::Ident m;
        const char* what = word == "method" ? "a method name" : "a variable name";
        if (rest >= l.text.size() && l.children.empty()) {
          if (!diag_.has_errors()) diag_.error(l.loc(), fmt::format("'{}:' needs {}", word, what));
          continue;
        }
        if (rest >= l.text.size() && l.children.size() > 1) {
          diag_.error(l.children[1].loc(),
                      fmt::format("'{}:' takes a single {}", word,
                                  word == "method" ? "method name" : "variable name"));
          continue;
        }
        const Line& src = rest < l.text.size() ? l : l.children.front();
        if (!parse_identifier(src, rest < l.text.size() ? rest : 0, m, diag_)) continue;
        if (word == "method")
          b.method = m;
        else
          b.multisynaptic_index = m;
      } else if (word == "connect") {
        b.connect_loc = key.loc;
        std::vector<ast::ConnectItem> items;
        bool ok = true;
        if (rest < l.text.size()) ok = parse_connect(l, rest, items, diag_);
        for (const Line& c : l.children)
          ok = parse_connect(c, 0, items, diag_) && ok;
        if (ok) b.connect = std::move(items);
      } else {
        std::vector<ir::Statement> ss;
        if (!statements(l, rest, ss)) continue;
        if (word == "reset")
          b.reset = std::move(ss);
        else if (word == "init")
          b.init = std::move(ss);
        else if (word == "on_event")
          b.on_events.push_back({pathway, std::move(ss)});
        else
          b.pathways.push_back({pathway, word == "on_pre", std::move(ss), event});
      }
    }
  }

  // A line `VAR = GROUP.SOURCE` or `VAR = GROUP.SOURCE[INDEX]` of a `link:`
  // block.
  void link_line(const Line& l, ast::Body& b) {
    const std::string& t = l.text;
    auto ident = [&](std::size_t k, ast::Ident& out) {
      std::size_t e = word_end(t, k);
      out = {t.substr(k, e - k), l.loc_at(std::min(k, t.size() - 1))};
      return skip(t, e);
    };
    ast::LinkLine link;
    std::size_t k = ident(0, link.var);
    bool ok = !link.var.name.empty() && k < t.size() && t[k] == '=';
    if (ok) k = ident(skip(t, k + 1), link.group);
    ok = ok && !link.group.name.empty() && k < t.size() && t[k] == '.';
    if (ok) k = ident(skip(t, k + 1), link.source);
    ok = ok && !link.source.name.empty();
    if (ok && k < t.size() && t[k] == '[' && t.back() == ']') {
      Line index;
      index.text = t.substr(k + 1, t.size() - k - 2);
      index.locs.assign(l.locs.begin() + static_cast<long>(k + 1),
                        l.locs.begin() + static_cast<long>(t.size()));
      index.indent = l.indent + 1;
      if (!parse_expression(index, 0, link.index, diag_)) return;
      k = t.size();
    }
    ok = ok && k >= t.size();
    if (!ok) {
      diag_.error(l.loc(), "expected 'VAR = GROUP.VARIABLE' or 'VAR = GROUP.VARIABLE[INDEX]' in "
                           "'link:' (a (linked) parameter of this group, then the variable of "
                           "another group it is, as 'I = inp.x' or 'I = inp.x[i // 10]')");
      return;
    }
    for (const ast::LinkLine& x : b.links)
      if (x.var.name == link.var.name) {
        diag_.error(link.var.loc, fmt::format("duplicate link of '{}'", link.var.name));
        return;
      }
    b.links.push_back(std::move(link));
  }

  // A line `NAME: condition` of an `events:` block.
  void event_condition(const Line& l, ast::Body& b) {
    auto [word, end] = first_word(l);
    std::size_t colon = skip(l.text, end);
    if (word.empty() || colon >= l.text.size() || l.text[colon] != ':') {
      diag_.error(l.loc(), "expected 'NAME: condition' in 'events:' (an event's name, then the "
                           "condition that selects its neurons, as 'burst: v > 3*mV')");
      return;
    }
    for (const ast::EventCondition& e : b.events)
      if (e.name.name == word) {
        diag_.error(l.loc(), fmt::format("duplicate event '{}'", word));
        return;
      }
    ast::EventCondition ev;
    ev.name = {word, l.loc()};
    if (parse_expression(l, skip(l.text, colon + 1), ev.condition, diag_))
      b.events.push_back(std::move(ev));
  }

  Diagnostics& diag_;
};

} // namespace

ast::File parse_file(int file_id, const SourceManager& sources, Diagnostics& diag) {
  ast::File file;
  file.file_id = file_id;
  file.path = sources.path(file_id);
  std::vector<Line> lines = layout(file_id, sources.text(file_id), diag);
  Walker w(diag);
  for (const Line& l : lines)
    w.top(l, file);
  return file;
}

} // namespace snnc::parse
