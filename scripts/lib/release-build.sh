# Shared by scripts/run.sh, scripts/layout/gen-order.sh and bench/run.sh: how berthd's release binary is built.
# - The Swift runtime and Foundation are linked in: the binary starts faster, maps less, and runs without
#   the toolchain's libraries.
# - Every function in a section of its own, so that the linker can place the code berthd runs side by
#   side in the order of Sources/berthd/link-order.txt (see Package.swift and scripts/layout/).
RELEASE_BUILD=(-c release --static-swift-stdlib -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections)
