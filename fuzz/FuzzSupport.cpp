//===- FuzzSupport.cpp - What the fuzz targets share ----------------------===//
//
// Part of the sffnn project.
//
//===----------------------------------------------------------------------===//
//
// This file implements the fuzz targets' set-up.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace sffnn;

static llvm::SmallString<256> workDirectory;

static void removeWorkDirectory() {
  llvm::sys::fs::remove_directories(workDirectory);
}

void fuzz::initialize(int argc, char **argv) {
  // The sffnn options come after libFuzzer's -ignore_remaining_args=1.
  llvm::SmallVector<const char *> args = {argv[0], "--sffnn-max-neurons=65536",
                                          "--sffnn-max-connections=1048576"};
  for (int i = 1; i < argc; ++i) {
    if (llvm::StringRef(argv[i]) != "-ignore_remaining_args=1")
      continue;
    args.append(argv + i + 1, argv + argc);
    break;
  }
  llvm::cl::ParseCommandLineOptions(args.size(), args.data(),
                                    "sffnn fuzz target\n");
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("sffnn-fuzz", workDirectory)) {
    llvm::errs() << "cannot create a work folder: " << ec.message() << "\n";
    std::exit(1);
  }
  std::atexit(removeWorkDirectory);
}

llvm::StringRef fuzz::getWorkDirectory() { return workDirectory; }

void fuzz::writeFile(llvm::StringRef path, llvm::StringRef contents) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (!ec) {
    os << contents;
    os.close();
    ec = os.error();
  }
  if (ec) {
    llvm::errs() << "cannot write '" << path << "': " << ec.message() << "\n";
    os.clear_error();
    std::exit(1);
  }
}
