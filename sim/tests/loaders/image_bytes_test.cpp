// gzip'd images and modules (sim/loaders/image_bytes.h): inflated with zlib,
// bounded, every bad stream an InputError naming the file and what zlib said.
#include "sim/loaders/image_bytes.h"

#include <gtest/gtest.h>

#include "sim/tests/loaders/gzip_test_util.h"
#include "sim/tests/loaders/image_builder.h"

namespace dlsim {
namespace {

using namespace testimg;

TEST(ImageBytes, GzipMagicIs1f8b) {
  EXPECT_TRUE(hasGzipMagic(Bytes{0x1f, 0x8b}));
  EXPECT_TRUE(hasGzipMagic(gzipBytes(pattern(10, 1))));
  EXPECT_FALSE(hasGzipMagic(Bytes{0x1f}));
  EXPECT_FALSE(hasGzipMagic(Bytes{0x8b, 0x1f, 0, 0}));
  EXPECT_FALSE(hasGzipMagic(Bytes{0x7f, 'E', 'L', 'F'}));
}

TEST(ImageBytes, InflatesWhatZlibDeflated) {
  const Bytes data = pattern(300000, 7);
  EXPECT_EQ(gunzip(gzipBytes(data), data.size(), "x.gz"), data);
  // A header with the original file name (FNAME), as gzip(1) writes it.
  EXPECT_EQ(gunzip(gzipBytes(data, "tboot"), 1 << 30, "x.gz"), data);
  EXPECT_EQ(gunzip(gzipBytes({}), 0, "empty.gz"), Bytes{});
}

TEST(ImageBytes, OutputOverTheLimitIsRefused) {
  // A gzip bomb: 64 MiB of zeros in about 64 KiB, limit 1 MiB.
  const Bytes bomb = gzipBytes(Bytes(64u << 20, 0));
  ASSERT_LT(bomb.size(), 128u * 1024);
  expectInputError([&] { gunzip(bomb, 1 << 20, "bomb.gz"); },
                   {"bomb.gz: gzip: ", "more than 1048576 bytes", "guest's RAM size"});
  // The limit itself is allowed, one byte less is not.
  const Bytes data = pattern(5000, 3);
  EXPECT_EQ(gunzip(gzipBytes(data), 5000, "x.gz").size(), 5000u);
  expectInputError([&] { gunzip(gzipBytes(data), 4999, "x.gz"); }, {"x.gz: gzip: ", "more than 4999 bytes"});
}

TEST(ImageBytes, TruncatedStreamIsAnInputErrorWithZlibsWords) {
  const Bytes gz = gzipBytes(pattern(100000, 5));
  for (size_t cut : {gz.size() - 1, gz.size() - 8, gz.size() / 2, size_t(12)}) {
    Bytes t(gz.begin(), gz.begin() + cut);
    expectInputError([&] { gunzip(t, 1 << 20, "cut.gz"); },
                     {"cut.gz: gzip: truncated", "after " + std::to_string(cut) + " bytes", "zlib: "});
  }
}

TEST(ImageBytes, CorruptStreamsAreInputErrorsWithZlibsWords) {
  const Bytes data = pattern(100000, 5);
  Bytes gz = gzipBytes(data);
  // The CRC-32 in the trailer (RFC 1952 2.3.1): zlib says "incorrect data check".
  Bytes badCrc = gz;
  badCrc[badCrc.size() - 8] ^= 1;
  expectInputError([&] { gunzip(badCrc, 1 << 20, "crc.gz"); }, {"crc.gz: gzip: corrupt", "incorrect data check"});
  // ISIZE, the length mod 2^32: "incorrect length check".
  Bytes badLen = gz;
  badLen[badLen.size() - 1] ^= 1;
  expectInputError([&] { gunzip(badLen, 1 << 20, "len.gz"); }, {"len.gz: gzip: corrupt", "incorrect length check"});
  // A compression method other than deflate (8) in the header.
  Bytes badMethod = gz;
  badMethod[2] = 7;
  expectInputError([&] { gunzip(badMethod, 1 << 20, "m.gz"); }, {"m.gz: gzip: corrupt", "zlib: "});
  // Garbage in the deflate data: an error, whatever zlib finds first.
  Bytes garbage = gz;
  for (size_t i = 20; i < 60; ++i) garbage[i] = 0xff;
  expectInputError([&] { gunzip(garbage, 1 << 20, "g.gz"); }, {"g.gz: gzip: ", "zlib: "});
}

TEST(ImageBytes, BytesAfterTheMemberAreRefused) {
  Bytes gz = gzipBytes(pattern(1000, 1));
  const size_t member = gz.size();
  gz.push_back('x');
  gz.push_back('y');
  expectInputError([&] { gunzip(gz, 1 << 20, "two.gz"); },
                   {"two.gz: gzip: 2 bytes follow", "ends at offset " + std::to_string(member)});
}

TEST(ImageBytes, ReadImageBytesInflatesUnlessKept) {
  const Bytes data = pattern(70000, 9);
  const Bytes gz = gzipBytes(data);
  const std::string path = writeTemp("img.gz", gz);
  ImageBytes in = readImageBytes(path, 1 << 20);
  EXPECT_TRUE(in.decompressed);
  EXPECT_EQ(in.bytes, data);
  EXPECT_EQ(in.fileBytes, gz.size());
  EXPECT_EQ(in.note(), " (gzip, " + std::to_string(gz.size()) + " -> 70000 bytes)");

  ImageBytes kept = readImageBytes(path, 1 << 20, GzipMode::Keep);
  EXPECT_FALSE(kept.decompressed);
  EXPECT_EQ(kept.bytes, gz);
  EXPECT_EQ(kept.note(), "");

  ImageBytes plain = readImageBytes(writeTemp("plain", data), 10);  // the limit is for inflating only
  EXPECT_FALSE(plain.decompressed);
  EXPECT_EQ(plain.bytes, data);

  expectInputError([&] { readImageBytes(path, 1000); }, {path + ": gzip: ", "more than 1000 bytes"});
  expectInputError([&] { readImageBytes(path + ".missing", 1000); }, {path + ".missing: "});
}

TEST(ImageBytes, TheLimitIsTheGuestRam) {
  GuestMemory mem;
  mem.addRam(0, 0xa0000, "low");
  mem.addRam(0x100000, 0x700000, "main");
  EXPECT_EQ(decompressLimit(mem), 0xa0000u + 0x700000u);
}

}  // namespace
}  // namespace dlsim
