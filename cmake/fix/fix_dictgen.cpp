// fix_dictgen DICT.xml OUT.hpp NAMESPACE
// Generates pinnacle's FIX dictionary header (include/pinnacle/connect/fix/fix44_dictionary.hpp)
// from a QuickFIX data dictionary (QuickFIX's spec/FIX44.xml, copied to cmake/fix/). A developer
// tool: the generated header is committed, and the test fix.dictionary_generated re-runs this
// program and fails when the committed header differs. XML is read with Boost.PropertyTree.
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace pt = boost::property_tree;

namespace {

constexpr int max_tag = 1023;

struct field_info {
  int tag = 0;
  std::string name;
  std::string type;
  std::vector<std::pair<std::string, std::string>> values; // enum, description
};

struct section {
  std::vector<bool> members = std::vector<bool>(max_tag + 1);
  std::vector<bool> required = std::vector<bool>(max_tag + 1);
  std::vector<std::pair<int, int>> groups; // count tag, section index (after dedupe)
  std::vector<int> delimiters;
};

std::map<std::string, field_info> fields_by_name;
std::map<std::string, const pt::ptree*> components;
std::vector<section> sections;
std::map<std::string, int> section_index_by_key;

std::string attr(const pt::ptree& node, const char* name) {
  auto v = node.get_optional<std::string>(std::string("<xmlattr>.") + name);
  if (!v) throw std::runtime_error(std::string("missing attribute '") + name + "'");
  return *v;
}

const field_info& field_named(const std::string& name) {
  auto it = fields_by_name.find(name);
  if (it == fields_by_name.end()) throw std::runtime_error("reference to undefined field '" + name + "'");
  return it->second;
}

std::string key_of(const section& s) {
  std::string k;
  for (int t = 0; t <= max_tag; ++t) {
    k += static_cast<char>('0' + (s.members[static_cast<std::size_t>(t)] ? 1 : 0) +
                           (s.required[static_cast<std::size_t>(t)] ? 2 : 0));
  }
  for (auto [c, i] : s.groups) k += "|" + std::to_string(c) + ":" + std::to_string(i);
  return k;
}

int intern(section s) {
  const std::string k = key_of(s);
  auto it = section_index_by_key.find(k);
  if (it != section_index_by_key.end()) return it->second;
  sections.push_back(std::move(s));
  const int idx = static_cast<int>(sections.size() - 1);
  section_index_by_key.emplace(k, idx);
  return idx;
}

// Adds the children of `node` (field, group, component) to `s`. `required_ctx` is false inside
// an optional component, whose own required fields are then not required of the message.
// `first` receives the first field tag met (the delimiter of a group instance).
void add_members(const pt::ptree& node, section& s, bool required_ctx, int& first) {
  for (const auto& [kind, child] : node) {
    if (kind == "<xmlattr>") continue;
    if (kind != "field" && kind != "group" && kind != "component")
      throw std::runtime_error("unexpected element <" + kind + ">");
    const std::string name = attr(child, "name");
    const bool req = required_ctx && attr(child, "required") == "Y";
    if (kind == "component") {
      auto it = components.find(name);
      if (it == components.end()) throw std::runtime_error("reference to undefined component '" + name + "'");
      add_members(*it->second, s, req, first);
      continue;
    }
    const field_info& f = field_named(name);
    if (f.tag > max_tag) throw std::runtime_error("tag above the table size: " + name);
    if (first == 0) first = f.tag;
    s.members[static_cast<std::size_t>(f.tag)] = true;
    if (req) s.required[static_cast<std::size_t>(f.tag)] = true;
    if (kind == "group") {
      if (f.type != "NUMINGROUP") throw std::runtime_error("group '" + name + "' is not a NUMINGROUP field");
      section inner;
      int delim = 0;
      add_members(child, inner, true, delim);
      if (delim == 0) throw std::runtime_error("empty group '" + name + "'");
      inner.delimiters.push_back(delim);
      const int idx = intern(std::move(inner));
      s.groups.emplace_back(f.tag, idx);
    }
  }
}

std::string identifier(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    out += ok ? c : '_';
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out = "V" + out;
  return out;
}

std::string type_enum(const std::string& t) {
  static const std::map<std::string, std::string> m = {
      {"INT", "int_"}, {"LENGTH", "length"}, {"SEQNUM", "seqnum"}, {"NUMINGROUP", "numingroup"},
      {"DAYOFMONTH", "dayofmonth"}, {"FLOAT", "float_"}, {"QTY", "qty"}, {"PRICE", "price"},
      {"PRICEOFFSET", "price_offset"}, {"AMT", "amt"}, {"PERCENTAGE", "percentage"}, {"CHAR", "char_"},
      {"BOOLEAN", "boolean"}, {"STRING", "string"}, {"MULTIPLEVALUESTRING", "multiple_value_string"},
      {"COUNTRY", "country"}, {"CURRENCY", "currency"}, {"EXCHANGE", "exchange"}, {"MONTHYEAR", "month_year"},
      {"UTCTIMESTAMP", "utc_timestamp"}, {"UTCTIMEONLY", "utc_time_only"}, {"UTCDATEONLY", "utc_date_only"},
      {"LOCALMKTDATE", "local_mkt_date"}, {"DATA", "data"}};
  auto it = m.find(t);
  if (it == m.end()) throw std::runtime_error("unknown field type '" + t + "'");
  return it->second;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void write_set(std::ostream& o, const std::vector<bool>& bits) {
  o << "{{";
  for (int w = 0; w < (max_tag + 1) / 64; ++w) {
    std::uint64_t word = 0;
    for (int b = 0; b < 64; ++b) {
      if (bits[static_cast<std::size_t>(w * 64 + b)]) word |= std::uint64_t{1} << b;
    }
    o << (w ? "," : "") << "0x" << std::hex << word << std::dec << "U";
  }
  o << "}}";
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: fix_dictgen DICT.xml OUT.hpp NAMESPACE\n";
    return 2;
  }
  const std::string in = argv[1], out = argv[2], ns = argv[3];
  try {
    pt::ptree doc;
    pt::read_xml(in, doc);
    const pt::ptree& fix = doc.get_child("fix");
    const std::string begin_string =
        attr(fix, "type") + "." + attr(fix, "major") + "." + attr(fix, "minor");

    std::map<int, std::string> name_by_tag;
    for (const auto& [kind, f] : fix.get_child("fields")) {
      if (kind != "field") continue;
      field_info fi;
      fi.tag = std::stoi(attr(f, "number"));
      fi.name = attr(f, "name");
      fi.type = attr(f, "type");
      for (const auto& [vk, v] : f) {
        if (vk == "value") fi.values.emplace_back(attr(v, "enum"), attr(v, "description"));
      }
      if (fi.tag <= 0 || fi.tag > max_tag) throw std::runtime_error("field tag out of range: " + fi.name);
      if (!name_by_tag.emplace(fi.tag, fi.name).second) throw std::runtime_error("duplicate tag " + fi.name);
      fields_by_name.emplace(fi.name, fi);
    }
    for (const auto& [kind, c] : fix.get_child("components")) {
      if (kind == "component") components.emplace(attr(c, "name"), &c);
    }

    // DATA fields and the LENGTH fields that measure them, matched by name (FooLen/FooLength).
    std::map<int, int> data_of_length;
    for (const auto& [name, f] : fields_by_name) {
      if (f.type != "DATA") continue;
      int len_tag = 0;
      for (std::string n : {name + "Len", name + "Length"}) {
        if (name == "EncodedText") n = "EncodedTextLen";
        auto it = fields_by_name.find(n);
        if (it != fields_by_name.end() && it->second.type == "LENGTH") len_tag = it->second.tag;
      }
      if (name == "Signature") len_tag = field_named("SignatureLength").tag;
      if (len_tag == 0) throw std::runtime_error("DATA field '" + name + "' has no LENGTH field");
      data_of_length[len_tag] = f.tag;
    }

    int unused = 0;
    section header, trailer;
    add_members(fix.get_child("header"), header, true, unused);
    unused = 0;
    add_members(fix.get_child("trailer"), trailer, true, unused);
    const int header_idx = intern(std::move(header));
    const int trailer_idx = intern(std::move(trailer));
    struct msg { std::string type, name; bool admin; int body; };
    std::vector<msg> msgs;
    for (const auto& [kind, m] : fix.get_child("messages")) {
      if (kind != "message") continue;
      section body;
      unused = 0;
      add_members(m, body, true, unused);
      msgs.push_back({attr(m, "msgtype"), attr(m, "name"), attr(m, "msgcat") == "admin", intern(std::move(body))});
    }

    std::ostringstream o;
    o << "#pragma once\n"
         "/// @file\n"
         "/// " << begin_string << " dictionary tables. GENERATED by cmake/fix/fix_dictgen.cpp from cmake/fix/"
      << in.substr(in.find_last_of('/') + 1)
      << " (QuickFIX,\n/// QuickFIX Software License 1.0, cmake/fix/LICENSE.quickfix): do not edit; run the target\n"
         "/// fix_regenerate_dictionary after changing the generator or the XML.\n\n"
         "#include \"pinnacle/connect/fix/dictionary.hpp\"\n\n#include <array>\n#include <cstdint>\n#include <string_view>\n\n"
         "/// " << begin_string << " field numbers, enumerated values and message layouts.\n"
         "namespace pinnacle::inline v0::fix::" << ns << " {\n\n"
         "/// BeginString (8) of this dictionary.\ninline constexpr std::string_view begin_string = \""
      << begin_string << "\";\n\n/// Field numbers, named as in the FIX specification.\nnamespace tag {\n";
    for (const auto& [t, name] : name_by_tag) {
      o << "/// " << name << " (" << t << "), " << fields_by_name[name].type << ".\n"
        << "inline constexpr std::uint16_t " << name << " = " << t << ";\n";
    }
    o << "} // namespace tag\n\n/// Enumerated field values, named Field_DESCRIPTION as in QuickFIX.\nnamespace value {\n";
    std::vector<std::string> value_table;
    std::map<int, std::pair<int, int>> value_range;
    for (const auto& [t, name] : name_by_tag) {
      const field_info& f = fields_by_name[name];
      if (f.values.empty()) continue;
      value_range[t] = {static_cast<int>(value_table.size()), static_cast<int>(f.values.size())};
      std::set<std::string> seen;
      for (const auto& [v, d] : f.values) {
        value_table.push_back(v);
        std::string id = name + "_" + identifier(d);
        if (!seen.insert(id).second) id += "_" + identifier(v);
        const bool one_char = (f.type == "CHAR" || f.type == "BOOLEAN") && v.size() == 1;
        const bool integer = (f.type == "INT" || f.type == "NUMINGROUP");
        o << "/// " << name << " (" << t << ") = " << v << ".\n";
        if (one_char) {
          o << "inline constexpr char " << id << " = '" << (v == "'" || v == "\\" ? "\\" : "") << v << "';\n";
        } else if (integer) {
          o << "inline constexpr int " << id << " = " << std::stoi(v) << ";\n";
        } else {
          o << "inline constexpr std::string_view " << id << " = " << quoted(v) << ";\n";
        }
      }
    }
    o << "} // namespace value\n\n";
    o << "/// Every enumerated value, grouped by field (see field_def::values_begin).\n"
         "inline constexpr std::array<std::string_view, " << value_table.size() << "> values = {{\n";
    for (const auto& v : value_table) o << "  " << quoted(v) << ",\n";
    o << "}};\n\n/// Field definitions indexed by tag (0.." << max_tag << ").\n"
         "inline constexpr std::array<field_def, " << max_tag + 1 << "> fields = {{\n";
    for (int t = 0; t <= max_tag; ++t) {
      auto it = name_by_tag.find(t);
      if (it == name_by_tag.end()) {
        o << "  {{}, field_type::undefined, 0, 0, 0, 0U, 0U},\n";
        continue;
      }
      const field_info& f = fields_by_name[it->second];
      auto r = value_range.count(t) ? value_range[t] : std::pair<int, int>{0, 0};
      std::uint64_t lo = 0, hi = 0;
      if ((f.type == "CHAR" || f.type == "BOOLEAN") && r.second > 0) {
        for (const auto& [v, d] : f.values) {
          if (v.size() != 1 || static_cast<unsigned char>(v[0]) >= 128)
            throw std::runtime_error("CHAR enum not one ASCII byte: " + f.name);
          const unsigned c = static_cast<unsigned char>(v[0]);
          (c < 64 ? lo : hi) |= std::uint64_t{1} << (c & 63);
        }
      }
      const int data_tag = data_of_length.count(t) ? data_of_length[t] : 0;
      o << "  {" << quoted(f.name) << ", field_type::" << type_enum(f.type) << ", " << r.first << ", " << r.second
        << ", " << data_tag << ", 0x" << std::hex << lo << "U, 0x" << hi << "U" << std::dec << "},\n";
    }
    o << "}};\n\n";

    // Groups are emitted contiguously per owning section.
    std::vector<std::pair<int, int>> group_range(sections.size());
    std::ostringstream groups;
    int group_count = 0;
    for (std::size_t i = 0; i < sections.size(); ++i) {
      group_range[i] = {group_count, static_cast<int>(sections[i].groups.size())};
      for (auto [count_tag, idx] : sections[i].groups) {
        groups << "  {" << count_tag << ", " << sections[static_cast<std::size_t>(idx)].delimiters.front() << ", "
               << idx << "},\n";
        ++group_count;
      }
    }
    o << "/// Sections: header, trailer, message bodies and group instances (deduplicated).\n"
         "inline constexpr std::array<section_def, " << sections.size() << "> sections = {{\n";
    for (std::size_t i = 0; i < sections.size(); ++i) {
      o << "  {";
      write_set(o, sections[i].members);
      o << ", ";
      write_set(o, sections[i].required);
      const auto required_count = std::count(sections[i].required.begin(), sections[i].required.end(), true);
      o << ", " << group_range[i].first << ", " << group_range[i].second << ", " << required_count << "},\n";
    }
    o << "}};\n\n/// Repeating groups, contiguous per owning section (section_def::groups_begin).\n"
         "inline constexpr std::array<group_def, " << std::max(group_count, 1) << "> groups = {{\n"
      << (group_count ? groups.str() : "  {0, 0, 0},\n") << "}};\n\n"
      << "/// Index of the standard header's section.\ninline constexpr std::uint16_t header_section = "
      << header_idx << ";\n/// Index of the standard trailer's section.\ninline constexpr std::uint16_t trailer_section = "
      << trailer_idx << ";\n\n/// Every message of the dictionary.\n"
         "inline constexpr std::array<message_def, " << msgs.size() << "> messages = {{\n";
    for (const auto& m : msgs) {
      o << "  {" << quoted(m.type) << ", " << quoted(m.name) << ", " << (m.admin ? "true" : "false") << ", "
        << m.body << "},\n";
    }
    o << "}};\n\n} // namespace pinnacle::inline v0::fix::" << ns << "\n";

    const std::string tmp = out + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary);
      f << o.str();
      if (!f) throw std::runtime_error("cannot write " + tmp);
    }
    if (std::rename(tmp.c_str(), out.c_str()) != 0) throw std::runtime_error("cannot rename " + tmp + " to " + out);
  } catch (const std::exception& e) {
    std::cerr << "fix_dictgen: " << in << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}
