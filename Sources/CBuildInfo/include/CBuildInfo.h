#ifndef CBUILDINFO_H
#define CBUILDINFO_H

/// The commit this binary was built from (`git describe --always --dirty`), written by
/// `make` into `build_commit.h` next to BuildInfo.c; "unknown" when that file is absent
/// (a build from a tarball, or a plain `swift build`).
const char *chatter_build_commit(void);

#endif
