// Makes arbitrary guest text (serial, VGA, messages) safe to print in a
// terminal or to put in XML: valid UTF-8 passes through, every control
// character and every byte that is not part of valid UTF-8 becomes a visible
// "\xNN" escape. Shared by the text and JUnit writers.
#pragma once
#include <string>

namespace dlsim {

// Keeps '\t' and, when keepNewlines, '\n' ("\r\n" becomes "\n"); escapes other
// C0 controls, DEL, C1 controls (U+0080..U+009F), U+FFFE / U+FFFF and
// malformed UTF-8 (each bad byte on its own) as "\xNN". A literal backslash
// stays as it is.
std::string printableText(const std::string& text, bool keepNewlines);

}  // namespace dlsim
