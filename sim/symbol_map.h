// Symbols for addresses, read from System.map-format files ("ADDR TYPE NAME"
// per line, as `nm` prints and Debian ships /boot/tboot-syms), so reports and
// the trace can say "symbol+0x12" next to an address. Lookups happen only
// when a line is written, never while the guest runs.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dlsim {

class SymbolMap {
 public:
  struct Symbol {
    uint64_t address = 0;
    char type = 0;  // nm's letter: T/t text, D/d data, B/b bss, R/r read-only data, ...
    std::string name;
  };

  // A symbol further than this below an address does not name it: System.map
  // has no sizes, and past the last function (or a big gap) "last_symbol+0x5000"
  // would mislead more than a bare address.
  static constexpr uint64_t kMaxOffset = 0x10000;

  // Parses one file's text and adds its symbols. Each non-empty line is
  // "ADDR TYPE NAME": ADDR 1..16 hex digits, TYPE one letter (nm's), NAME
  // without spaces; fields separated by spaces or tabs; anything after NAME
  // (a module name in brackets, as /proc/kallsyms has) is ignored. Throws
  // InputError "<file>:<line>: <what>" for anything else; at most
  // kMaxSymbols symbols in all.
  void addText(const std::string& text, const std::string& file);
  // Reads and parses a file (InputError naming it when it cannot be read).
  void addFile(const std::string& path);

  // The nearest symbol at or below `address` among text and data symbols
  // (types T t D d B b R r and the weak W V), no further than kMaxOffset
  // below; nullptr before the first or beyond that distance. Ties at one
  // address: the first by name (deterministic whatever the file order).
  const Symbol* lookup(uint64_t address) const;
  // "name" or "name+0x12", "" when lookup() finds nothing.
  std::string describe(uint64_t address) const;

  bool empty() const { return symbols_.empty(); }
  size_t size() const { return symbols_.size(); }

  static constexpr size_t kMaxSymbols = 1u << 22;
  static constexpr uint64_t kMaxFileBytes = uint64_t(256) << 20;

 private:
  void sort();
  std::vector<Symbol> symbols_;  // text and data symbols, by (address, name)
  size_t total_ = 0;             // every symbol read, for the kMaxSymbols bound
};

}  // namespace dlsim
