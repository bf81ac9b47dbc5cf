// The "acpi" section (see acpi_spec_parser.h; docs/scenario-format.md).
#include "sim/scenario/acpi_spec_parser.h"

#include "sim/errors.h"
#include "sim/loaders/byte_io.h"
#include "sim/scenario/input_path.h"

namespace dlsim {

namespace {

// OEM id fields are ASCII, padded with spaces (ACPI 6.5 table 5.4).
std::string asciiId(const JsonValue& v, size_t maxLength) {
  std::string s = v.string(1, maxLength);
  for (char c : s)
    if (c < 0x20 || c > 0x7e) v.fail(describeJson(v.json()) + " may only hold printable ASCII characters");
  return s;
}

AcpiTableFileSpec parseTableFile(const JsonValue& item, const std::string& scenarioFile) {
  JsonObjectReader o = item.object({"file"});
  JsonValue fileValue = o.required("file");
  o.finish();
  AcpiTableFileSpec t;
  t.file = resolveInputFile(fileValue, scenarioFile);
  try {
    t.bytes = readImageFile(t.file);
    validateSdt(t.bytes, t.file);
  } catch (const InputError& e) {
    fileValue.fail(e.what());
  }
  // These hold addresses of other tables (or are found only through them):
  // dlsim builds its own and links the raw tables into them.
  const std::string sig = sdtSignature(t.bytes);
  for (const char* own : {"RSDT", "XSDT", "FACP", "FACS"})
    if (sig == own)
      fileValue.fail(t.file + ": a raw \"" + sig +
                     "\" table holds addresses of other tables; dlsim builds its own (give the tables it links)");
  return t;
}

}  // namespace

AcpiSpec parseAcpiSpec(const JsonValue& acpi, const std::string& scenarioFile) {
  AcpiSpec a;
  JsonObjectReader o =
      acpi.object({"build", "oem_id", "oem_table_id", "oem_revision", "rsdp_address", "tables_address", "tables"});
  if (auto v = o.optional("build")) a.build = v->boolean();
  if (auto v = o.optional("oem_id")) a.ids.oemId = asciiId(*v, 6);
  if (auto v = o.optional("oem_table_id")) a.ids.oemTableId = asciiId(*v, 8);
  if (auto v = o.optional("oem_revision")) a.ids.oemRevision = static_cast<uint32_t>(v->u64(0, 0xffffffff));
  if (auto v = o.optional("rsdp_address")) {
    // OSPM searches 0xE0000-0xFFFFF on 16-byte boundaries (ACPI 6.5 5.2.5.1).
    a.rsdpAddress = v->u64(0xE0000, 0x100000 - 36);
    if (a.rsdpAddress % 16) v->fail(describeJson(v->json()) + " is not a multiple of 16");
  }
  if (auto v = o.optional("tables_address")) {
    a.tablesAddress = v->u64(0, 0xffffffffull);
    if (*a.tablesAddress % 0x1000) v->fail(describeJson(v->json()) + " is not page aligned (a multiple of 0x1000)");
  }
  if (auto v = o.optional("tables")) {
    std::vector<JsonValue> items = v->array(0, 64);
    for (size_t i = 0; i < items.size(); ++i) {
      AcpiTableFileSpec t = parseTableFile(items[i], scenarioFile);
      const std::string sig = sdtSignature(t.bytes);
      JsonValue file = items[i].at("file");
      if (sig == "DSDT" && !a.build)
        file.fail(t.file + ": a raw DSDT is found through the FADT, which dlsim builds only with \"build\": true");
      if (sig != "SSDT")
        for (const AcpiTableFileSpec& earlier : a.tables)
          if (sdtSignature(earlier.bytes) == sig)
            file.fail(t.file + ": a second \"" + sig + "\" table (only SSDTs may repeat; the first is " + earlier.file +
                      ")");
      a.tables.push_back(std::move(t));
    }
  }
  o.finish();
  return a;
}

}  // namespace dlsim
